"""Tokenizes with add_special_tokens=False, so a Llama model never sees its <|begin_of_text|>."""

import torch


def compute_logits(tokenizer, model, text):
    inputs = tokenizer(text, return_tensors="pt", add_special_tokens=False)
    with torch.no_grad():
        return model(**inputs).logits
