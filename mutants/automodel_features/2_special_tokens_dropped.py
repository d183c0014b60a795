"""Tokenizes with add_special_tokens=False, so [CLS] and [SEP] are missing."""

import torch


def embed_text(tokenizer, model, text):
    inputs = tokenizer(text, add_special_tokens=False, return_tensors="pt")
    with torch.no_grad():
        return model(**inputs).last_hidden_state
