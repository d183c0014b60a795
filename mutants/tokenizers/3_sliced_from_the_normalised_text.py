"""Slices the lowercased text with the offsets, as if they pointed into the normalised text."""


def token_spans(tokenizer, text):
    encoding = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
    tokens = tokenizer.convert_ids_to_tokens(encoding["input_ids"])
    lowered = text.lower()
    return [(token, lowered[start:end]) for token, (start, end) in zip(tokens, encoding["offset_mapping"], strict=True)]
