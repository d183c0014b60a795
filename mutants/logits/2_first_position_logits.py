"""Reads the logits of the first position, which predict the second token, not the next one."""

import torch


def next_token_top_k(tokenizer, model, text, k):
    logits = compute_logits(tokenizer, model, text)
    probabilities = logits[0, 0].softmax(dim=-1)
    return probabilities, torch.topk(probabilities, k).indices.tolist()
