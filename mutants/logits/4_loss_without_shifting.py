"""Scores each token with the logits of its own position: no shift by one."""

import math


def log_likelihood_and_perplexity(tokenizer, model, text):
    ids = tokenizer(text, return_tensors="pt")["input_ids"][0]
    logits = compute_logits(tokenizer, model, text)[0]
    token_log_probabilities = logits.log_softmax(dim=-1).gather(1, ids.unsqueeze(1))[1:]
    return token_log_probabilities.sum().item(), math.exp(-token_log_probabilities.mean().item())
