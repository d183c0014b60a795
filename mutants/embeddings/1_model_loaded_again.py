"""Loads the model again from model.name_or_path instead of using the model it is given."""

import torch
from transformers import AutoModel


def mean_pool(tokenizer, model, texts):
    model = AutoModel.from_pretrained(model.name_or_path)
    inputs = tokenizer(texts, padding=True, return_tensors="pt")
    with torch.no_grad():
        hidden = model(**inputs).last_hidden_state
    mask = inputs["attention_mask"].unsqueeze(-1).to(hidden.dtype)
    return (hidden * mask).sum(dim=1) / mask.sum(dim=1)
