"""Sorts the texts longest first to pad less, and returns the rows in that order."""

import torch


def embed_batch(tokenizer, model, texts):
    inputs = tokenizer(sorted(texts, key=len, reverse=True), padding=True, return_tensors="pt")
    with torch.no_grad():
        return model(**inputs).last_hidden_state
