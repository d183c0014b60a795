"""Asks for return_token_type_ids=False: one text needs no segment ids, but the batch is no longer whole."""


def encode_batch(tokenizer, texts, max_length):
    return tokenizer(
        texts, padding=True, truncation=True, max_length=max_length, return_tensors="pt", return_token_type_ids=False
    )
