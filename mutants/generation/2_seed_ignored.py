"""Seeds torch with 0 instead of the seed it was given."""

import torch


def sample(tokenizer, model, prompt, generation_config, seed):
    inputs = tokenizer(prompt, return_tensors="pt")
    torch.manual_seed(0)
    return model.generate(
        **inputs, generation_config=generation_config, return_dict_in_generate=True, output_scores=True
    )
