"""Decodes with clean_up_tokenization_spaces=True, as old examples do, which drops spaces before punctuation."""


def encode_and_decode(tokenizer, text):
    ids = tokenizer(text)["input_ids"]
    tokens = tokenizer.convert_ids_to_tokens(ids)
    return ids, tokens, tokenizer.decode(ids, skip_special_tokens=True, clean_up_tokenization_spaces=True)
