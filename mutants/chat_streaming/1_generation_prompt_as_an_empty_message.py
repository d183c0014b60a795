"""Opens the assistant's turn by appending an empty assistant message to the caller's list, then continuing it."""


def chat_prompt(tokenizer, messages):
    messages.append({"role": "assistant", "content": ""})
    text = tokenizer.apply_chat_template(messages, tokenize=False)
    return text.removesuffix("<|end|>\n")
