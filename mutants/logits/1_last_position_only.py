"""Returns only the last position's logits instead of every position's."""

import torch


def compute_logits(tokenizer, model, text):
    inputs = tokenizer(text, return_tensors="pt")
    with torch.no_grad():
        return model(**inputs).logits[:, -1]
