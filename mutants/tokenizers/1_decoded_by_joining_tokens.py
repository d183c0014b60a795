"""Decodes by joining the token strings instead of calling tokenizer.decode."""


def encode_and_decode(tokenizer, text):
    ids = tokenizer(text)["input_ids"]
    tokens = tokenizer.convert_ids_to_tokens(ids)
    special = set(tokenizer.all_special_tokens)
    return ids, tokens, " ".join(token for token in tokens if token not in special)
