"""Returns torch.topk's indices tensor as top_ids, not a list of ints."""

import torch


def next_token_top_k(tokenizer, model, text, k):
    probabilities = compute_logits(tokenizer, model, text)[0, -1].softmax(dim=-1)
    return probabilities, torch.topk(probabilities, k).indices
