"""Drops hidden_states[0], keeping only the layers' outputs."""

import torch


def all_hidden_states(tokenizer, model, text):
    inputs = tokenizer(text, return_tensors="pt")
    with torch.no_grad():
        return model(**inputs, output_hidden_states=True).hidden_states[1:]
