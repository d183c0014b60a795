"""Switches on return_dict_in_generate and output_scores in the caller's config itself, changing it for the caller."""

import torch


def sample(tokenizer, model, prompt, generation_config, seed):
    generation_config.return_dict_in_generate = True
    generation_config.output_scores = True
    inputs = tokenizer(prompt, return_tensors="pt")
    torch.manual_seed(seed)
    return model.generate(**inputs, generation_config=generation_config)
