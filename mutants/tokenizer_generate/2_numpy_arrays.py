"""Asks for return_tensors="np": arrays, not PyTorch tensors."""


def encode_prompt(tokenizer, prompt):
    return tokenizer(prompt, return_tensors="np")
