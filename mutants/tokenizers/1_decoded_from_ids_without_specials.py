"""Decodes the ids of the text encoded without special tokens instead of skipping the special tokens."""


def encode_and_decode(tokenizer, text):
    ids = tokenizer(text)["input_ids"]
    tokens = tokenizer.convert_ids_to_tokens(ids)
    return ids, tokens, tokenizer.decode(tokenizer(text, add_special_tokens=False)["input_ids"])
