"""The sentence-transformers way: expand the mask, sum, divide by the count clamped away from zero."""

import torch


def mean_pool(tokenizer, model, texts):
    encoded = tokenizer(texts, padding=True, return_tensors="pt")
    with torch.no_grad():
        token_embeddings = model(**encoded)[0]
    mask = encoded["attention_mask"].unsqueeze(-1).expand(token_embeddings.size()).float()
    return torch.sum(token_embeddings * mask, 1) / torch.clamp(mask.sum(1), min=1e-9)
