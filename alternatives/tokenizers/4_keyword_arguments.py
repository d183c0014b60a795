"""The pair given by keyword: text= and text_pair=."""


def encode_pair(tokenizer, first, second):
    return tokenizer(text=first, text_pair=second)
