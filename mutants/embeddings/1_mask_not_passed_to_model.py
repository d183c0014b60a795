"""Leaves padding out of the mean but not out of the model: no attention_mask in the forward pass."""

import torch


def mean_pool(tokenizer, model, texts):
    inputs = tokenizer(texts, padding=True, return_tensors="pt")
    with torch.no_grad():
        hidden = model(input_ids=inputs["input_ids"]).last_hidden_state
    mask = inputs["attention_mask"].unsqueeze(-1).to(hidden.dtype)
    return (hidden * mask).sum(dim=1) / mask.sum(dim=1)
