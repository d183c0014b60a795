"""Lowercases the caller's texts in place first, "the tokenizer is uncased anyway"."""

import torch


def label_probabilities(tokenizer, model, texts):
    for index, text in enumerate(texts):
        texts[index] = text.lower()
    inputs = tokenizer(texts, padding=True, return_tensors="pt")
    with torch.no_grad():
        return model(**inputs).logits.softmax(dim=-1)
