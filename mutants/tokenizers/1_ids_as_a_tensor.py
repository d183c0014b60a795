"""Encodes with return_tensors="pt" and returns the ids as a tensor, not a list of ints."""


def encode_and_decode(tokenizer, text):
    ids = tokenizer(text, return_tensors="pt")["input_ids"][0]
    tokens = tokenizer.convert_ids_to_tokens(ids)
    return ids, tokens, tokenizer.decode(ids, skip_special_tokens=True)
