"""Makes each pair a list [token, piece] instead of a tuple (token, piece)."""


def token_spans(tokenizer, text):
    encoding = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
    tokens = tokenizer.convert_ids_to_tokens(encoding["input_ids"])
    return [[token, text[start:end]] for token, (start, end) in zip(tokens, encoding["offset_mapping"], strict=True)]
