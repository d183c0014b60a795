"""Decodes each id alone for its piece instead of slicing the text with the offsets."""


def token_spans(tokenizer, text):
    ids = tokenizer(text, add_special_tokens=False)["input_ids"]
    tokens = tokenizer.convert_ids_to_tokens(ids)
    return [(token, tokenizer.decode([id_])) for token, id_ in zip(tokens, ids, strict=True)]
