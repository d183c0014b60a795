"""Passes the two texts as a list, a batch of two single texts, not a pair."""


def encode_pair(tokenizer, first, second):
    return tokenizer([first, second])
