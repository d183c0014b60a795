"""Sums the raw logits of the tokens, forgetting the log-softmax."""

import math


def log_likelihood_and_perplexity(tokenizer, model, text):
    ids = tokenizer(text, return_tensors="pt")["input_ids"][0]
    logits = compute_logits(tokenizer, model, text)[0]
    token_scores = logits[:-1].gather(1, ids[1:].unsqueeze(1))
    return token_scores.sum().item(), math.exp(-token_scores.mean().item())
