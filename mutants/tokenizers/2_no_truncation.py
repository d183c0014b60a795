"""Gives max_length but forgets truncation=True."""


def encode_batch(tokenizer, texts, max_length):
    return tokenizer(texts, padding=True, max_length=max_length, return_tensors="pt")
