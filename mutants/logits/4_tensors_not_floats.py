"""Returns the log-likelihood and perplexity as 0-d tensors instead of Python floats."""

import torch


def log_likelihood_and_perplexity(tokenizer, model, text):
    ids = tokenizer(text, return_tensors="pt")["input_ids"][0]
    logits = compute_logits(tokenizer, model, text)[0]
    token_log_probabilities = logits[:-1].log_softmax(dim=-1).gather(1, ids[1:].unsqueeze(1))
    return token_log_probabilities.sum(), torch.exp(-token_log_probabilities.mean())
