"""Finds only the first mask with list.index."""


def mask_positions(tokenizer, text):
    return [tokenizer(text)["input_ids"].index(tokenizer.mask_token_id)]
