"""Copies the encoding into a plain dict, which is no BatchEncoding (no .to(device), no .input_ids)."""


def encode_prompt(tokenizer, prompt):
    return dict(tokenizer(prompt, return_tensors="pt"))
