"""Seeds torch once, then generates a throwaway draw before the real one, so the draws are shifted."""

import torch


def sample(tokenizer, model, prompt, generation_config, seed):
    inputs = tokenizer(prompt, return_tensors="pt")
    torch.manual_seed(seed)
    model.generate(**inputs, generation_config=generation_config)  # "warm-up" call
    return model.generate(
        **inputs, generation_config=generation_config, return_dict_in_generate=True, output_scores=True
    )
