"""Counts words of the text (str.split), one past [CLS], instead of tokens."""


def mask_positions(tokenizer, text):
    return [index + 1 for index, word in enumerate(text.split()) if tokenizer.mask_token in word]
