"""Decodes without skip_special_tokens=True, so [CLS] and [SEP] stay in the text."""


def encode_and_decode(tokenizer, text):
    ids = tokenizer(text)["input_ids"]
    tokens = tokenizer.convert_ids_to_tokens(ids)
    return ids, tokens, tokenizer.decode(ids)
