"""Joins the two texts into one string around "[SEP]", so every token gets type id 0."""


def encode_pair(tokenizer, first, second):
    return tokenizer(f"{first} {tokenizer.sep_token} {second}")
