"""Pads every text to max_length (padding="max_length") instead of to the longest text."""


def encode_batch(tokenizer, texts, max_length):
    return tokenizer(texts, padding="max_length", truncation=True, max_length=max_length, return_tensors="pt")
