"""Takes the softmax over the batch (dim=0) instead of over the labels."""

import torch


def label_probabilities(tokenizer, model, texts):
    inputs = tokenizer(texts, padding=True, return_tensors="pt")
    with torch.no_grad():
        logits = model(**inputs).logits
    return logits.softmax(dim=0)
