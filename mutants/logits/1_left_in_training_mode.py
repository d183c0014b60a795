"""Calls model.train() before the forward pass, as if computing logits needed it."""

import torch


def compute_logits(tokenizer, model, text):
    model.train()
    inputs = tokenizer(text, return_tensors="pt")
    with torch.no_grad():
        return model(**inputs).logits
