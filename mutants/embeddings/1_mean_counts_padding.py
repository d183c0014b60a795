"""Averages over every position of the padded batch, padding included."""

import torch


def mean_pool(tokenizer, model, texts):
    inputs = tokenizer(texts, padding=True, return_tensors="pt")
    with torch.no_grad():
        return model(**inputs).last_hidden_state.mean(dim=1)
