"""Asks for output_attentions and returns the attention maps instead of the hidden states."""

import torch


def all_hidden_states(tokenizer, model, text):
    inputs = tokenizer(text, return_tensors="pt")
    with torch.no_grad():
        return model(**inputs, output_attentions=True).attentions
