"""Keeps the special tokens, so [CLS] and [SEP] come with empty pieces."""


def token_spans(tokenizer, text):
    encoding = tokenizer(text, return_offsets_mapping=True)
    tokens = tokenizer.convert_ids_to_tokens(encoding["input_ids"])
    return [(token, text[start:end]) for token, (start, end) in zip(tokens, encoding["offset_mapping"], strict=True)]
