"""Encodes with add_special_tokens=False, so the ids lack [CLS] and [SEP]."""


def encode_and_decode(tokenizer, text):
    ids = tokenizer.encode(text, add_special_tokens=False)
    tokens = tokenizer.convert_ids_to_tokens(ids)
    return ids, tokens, tokenizer.decode(ids, skip_special_tokens=True)
