"""Passes the tokenizer's own chat template explicitly, and the messages as `conversation=`."""


def chat_prompt(tokenizer, messages):
    return tokenizer.apply_chat_template(
        conversation=messages, chat_template=tokenizer.chat_template, add_generation_prompt=True, tokenize=False
    )
