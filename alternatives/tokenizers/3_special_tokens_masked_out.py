"""Encodes with the special tokens and leaves them out with the special-tokens mask, reading tokens() and offsets."""


def token_spans(tokenizer, text):
    encoding = tokenizer(text, return_offsets_mapping=True, return_special_tokens_mask=True)
    return [
        (token, text[start:end])
        for token, (start, end), special in zip(
            encoding.tokens(), encoding["offset_mapping"], encoding["special_tokens_mask"], strict=True
        )
        if not special
    ]
