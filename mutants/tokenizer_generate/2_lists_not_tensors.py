"""Forgets return_tensors="pt": the ids come back as Python lists."""


def encode_prompt(tokenizer, prompt):
    return tokenizer(prompt)
