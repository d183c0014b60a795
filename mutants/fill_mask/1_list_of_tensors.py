"""Returns list() of the nonzero tensor: a list of 0-d tensors, not of ints."""

import torch


def mask_positions(tokenizer, text):
    input_ids = tokenizer(text, return_tensors="pt")["input_ids"][0]
    return list(torch.nonzero(input_ids == tokenizer.mask_token_id).flatten())
