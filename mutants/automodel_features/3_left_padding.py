"""Pads on the left, as for generation, which shifts the encoder's positions."""

import torch


def embed_batch(tokenizer, model, texts):
    tokenizer.padding_side = "left"
    inputs = tokenizer(texts, padding=True, return_tensors="pt")
    with torch.no_grad():
        return model(**inputs).last_hidden_state
