"""Tokenizes with add_special_tokens=False, so a Llama model's first word is never scored after <|begin_of_text|>."""

import math


def log_likelihood_and_perplexity(tokenizer, model, text):
    ids = tokenizer(text, return_tensors="pt", add_special_tokens=False)["input_ids"]
    logits = model(input_ids=ids).logits[0].detach()
    token_log_probabilities = logits[:-1].log_softmax(dim=-1).gather(1, ids[0, 1:].unsqueeze(1))
    return token_log_probabilities.sum().item(), math.exp(-token_log_probabilities.mean().item())
