"""Exponentiates the summed log-likelihood for the perplexity instead of the mean."""

import math


def log_likelihood_and_perplexity(tokenizer, model, text):
    ids = tokenizer(text, return_tensors="pt")["input_ids"][0]
    logits = compute_logits(tokenizer, model, text)[0]
    token_log_probabilities = logits[:-1].log_softmax(dim=-1).gather(1, ids[1:].unsqueeze(1))
    log_likelihood = token_log_probabilities.sum().item()
    return log_likelihood, math.exp(-log_likelihood)
