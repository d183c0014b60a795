"""Tokenizes with add_special_tokens=False, so the Llama tokenizer's <|begin_of_text|> is missing."""


def encode_prompt(tokenizer, prompt):
    return tokenizer(prompt, add_special_tokens=False, return_tensors="pt")
