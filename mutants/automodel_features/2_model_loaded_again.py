"""Loads the model again from model.name_or_path instead of using the model it is given."""

import torch
from transformers import AutoModel


def embed_text(tokenizer, model, text):
    model = AutoModel.from_pretrained(model.name_or_path)
    inputs = tokenizer(text, return_tensors="pt")
    with torch.no_grad():
        return model(**inputs).last_hidden_state
