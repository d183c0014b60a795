"""Looks for the string "[MASK]" among the tokens instead of the tokenizer's own mask token id."""


def mask_positions(tokenizer, text):
    tokens = tokenizer.convert_ids_to_tokens(tokenizer(text)["input_ids"])
    return [index for index, token in enumerate(tokens) if token == "[MASK]"]
