"""Renders the template without add_generation_prompt=True, so the assistant's turn is not opened."""


def chat_prompt(tokenizer, messages):
    return tokenizer.apply_chat_template(messages, tokenize=False)
