"""Uses tokenizer.encode, which gives the ids tensor alone: no attention mask, no BatchEncoding."""


def encode_prompt(tokenizer, prompt):
    return tokenizer.encode(prompt, return_tensors="pt")
