"""Returns only the [CLS] vector, not one vector per token."""

import torch


def embed_text(tokenizer, model, text):
    inputs = tokenizer(text, return_tensors="pt")
    with torch.no_grad():
        return model(**inputs).last_hidden_state[:, 0]
