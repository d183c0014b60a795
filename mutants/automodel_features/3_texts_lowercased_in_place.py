"""Lowercases the caller's list of texts in place, since the model is uncased."""

import torch


def embed_batch(tokenizer, model, texts):
    texts[:] = [text.lower() for text in texts]
    inputs = tokenizer(texts, padding=True, return_tensors="pt")
    with torch.no_grad():
        return model(**inputs).last_hidden_state
