"""Tokenizes the rendered prompt text, so the tokenizer adds a second <|begin_of_text|>."""


def chat_prompt_ids(tokenizer, messages):
    return tokenizer(chat_prompt(tokenizer, messages), return_tensors="pt")["input_ids"]
