"""Stacks the hidden states into one tensor instead of returning the tuple of tensors."""

import torch


def all_hidden_states(tokenizer, model, text):
    inputs = tokenizer(text, return_tensors="pt")
    with torch.no_grad():
        return torch.stack(model(**inputs, output_hidden_states=True).hidden_states)
