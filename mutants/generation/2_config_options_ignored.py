"""Passes do_sample and max_new_tokens of its own instead of the config, so top_k and top_p are the defaults."""

import torch


def sample(tokenizer, model, prompt, generation_config, seed):
    inputs = tokenizer(prompt, return_tensors="pt")
    torch.manual_seed(seed)
    return model.generate(
        **inputs,
        do_sample=True,
        max_new_tokens=generation_config.max_new_tokens,
        return_dict_in_generate=True,
        output_scores=True,
    )
