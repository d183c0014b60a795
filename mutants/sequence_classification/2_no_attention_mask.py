"""Pads the batch but passes only input_ids, so [PAD] tokens count as text."""

import torch


def label_probabilities(tokenizer, model, texts):
    inputs = tokenizer(texts, padding=True, return_tensors="pt")
    with torch.no_grad():
        logits = model(input_ids=inputs["input_ids"]).logits
    return logits.softmax(dim=-1)
