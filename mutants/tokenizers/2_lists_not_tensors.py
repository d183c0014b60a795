"""Forgets return_tensors="pt": the batch holds Python lists."""


def encode_batch(tokenizer, texts, max_length):
    return tokenizer(texts, padding=True, truncation=True, max_length=max_length)
