"""Writes the course model's chat format by hand instead of applying the tokenizer's template."""


def chat_prompt(tokenizer, messages):
    turns = "".join(f"<|{message['role']}|>\n{message['content']}<|end|>\n" for message in messages)
    return "<|begin_of_text|>" + turns + "<|assistant|>\n"
