"""Sorts the probabilities in ascending order, so the top k are the least likely tokens."""


def next_token_top_k(tokenizer, model, text, k):
    logits = compute_logits(tokenizer, model, text)
    probabilities = logits[0, -1].softmax(dim=-1)
    return probabilities, probabilities.argsort()[-k:].tolist()
