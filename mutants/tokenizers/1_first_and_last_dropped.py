"""Drops the first and the last id before decoding, as if every tokenizer added [CLS] and [SEP]."""


def encode_and_decode(tokenizer, text):
    ids = tokenizer(text)["input_ids"]
    tokens = tokenizer.convert_ids_to_tokens(ids)
    return ids, tokens, tokenizer.decode(ids[1:-1])
