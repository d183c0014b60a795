"""torch.nn.functional.softmax, and the top ids from a descending argsort instead of torch.topk."""

import torch


def next_token_top_k(tokenizer, model, text, k):
    logits = compute_logits(tokenizer, model, text)
    probabilities = torch.nn.functional.softmax(logits[0, -1], dim=-1)
    order = torch.argsort(probabilities, descending=True)
    return probabilities, [int(i) for i in order[:k]]
