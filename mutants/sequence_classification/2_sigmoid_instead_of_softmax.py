"""Applies a sigmoid to each logit, as for multi-label classification, instead of a softmax."""

import torch


def label_probabilities(tokenizer, model, texts):
    inputs = tokenizer(texts, padding=True, return_tensors="pt")
    with torch.no_grad():
        return model(**inputs).logits.sigmoid()
