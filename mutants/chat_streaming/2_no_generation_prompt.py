"""Tokenizes the template without add_generation_prompt=True, so the ids end before the assistant's turn."""


def chat_prompt_ids(tokenizer, messages):
    return tokenizer.apply_chat_template(messages, return_tensors="pt")["input_ids"]
