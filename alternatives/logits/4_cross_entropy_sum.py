"""torch.nn.functional.cross_entropy(reduction="sum") on the shifted logits and ids, no labels= to the model."""

import math

import torch


def log_likelihood_and_perplexity(tokenizer, model, text):
    ids = tokenizer(text, return_tensors="pt")["input_ids"]
    with torch.no_grad():
        logits = model(input_ids=ids).logits
    negative_sum = torch.nn.functional.cross_entropy(logits[0, :-1], ids[0, 1:], reduction="sum").item()
    predicted = ids.shape[1] - 1
    return -negative_sum, math.exp(negative_sum / predicted)
