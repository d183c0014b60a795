"""tokenizer.encode for the ids, the encoding's own tokens() for the tokens."""


def encode_and_decode(tokenizer, text):
    ids = tokenizer.encode(text)
    tokens = tokenizer(text).tokens()
    decoded = tokenizer.decode(ids, skip_special_tokens=True)
    return ids, tokens, decoded
