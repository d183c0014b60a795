"""A plain loop over the input ids as a list, compared with the tokenizer's mask_token_id."""


def mask_positions(tokenizer, text):
    return [
        position
        for position, token_id in enumerate(tokenizer(text)["input_ids"])
        if token_id == tokenizer.mask_token_id
    ]
