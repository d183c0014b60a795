"""Tokenizes a batch that holds the one prompt: the same tensors of shape (1, number of tokens)."""


def encode_prompt(tokenizer, prompt):
    return tokenizer([prompt], return_tensors="pt")
