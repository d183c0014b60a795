"""Tokenizes the rendered prompt of task 1 with add_special_tokens=False: the template already holds the begin token."""


def chat_prompt_ids(tokenizer, messages):
    return tokenizer(chat_prompt(tokenizer, messages), add_special_tokens=False, return_tensors="pt")["input_ids"]
