"""Truncates while encoding, then pads the lists with tokenizer.pad into tensors."""


def encode_batch(tokenizer, texts, max_length):
    encoded = tokenizer(texts, truncation=True, max_length=max_length)
    return tokenizer.pad(encoded, padding="longest", return_tensors="pt")
