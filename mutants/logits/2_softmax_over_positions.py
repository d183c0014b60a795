"""Takes the softmax over the positions (dim=0) instead of over the vocabulary."""

import torch


def next_token_top_k(tokenizer, model, text, k):
    logits = compute_logits(tokenizer, model, text)
    probabilities = logits[0].softmax(dim=0)[-1]
    return probabilities, torch.topk(probabilities, k).indices.tolist()
