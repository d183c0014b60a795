"""Pads the batch but passes only input_ids, so real tokens attend to the padding."""

import torch


def embed_batch(tokenizer, model, texts):
    inputs = tokenizer(texts, padding=True, return_tensors="pt")
    with torch.no_grad():
        return model(input_ids=inputs["input_ids"]).last_hidden_state
