"""Builds the tensors by hand from the lists, without the batch dimension."""

import torch


def encode_prompt(tokenizer, prompt):
    encoding = tokenizer(prompt)
    return {key: torch.tensor(values) for key, values in encoding.items()}
