"""Asks for return_dict_in_generate but not output_scores, so the scores are missing."""

import torch


def sample(tokenizer, model, prompt, generation_config, seed):
    inputs = tokenizer(prompt, return_tensors="pt")
    torch.manual_seed(seed)
    return model.generate(**inputs, generation_config=generation_config, return_dict_in_generate=True)
