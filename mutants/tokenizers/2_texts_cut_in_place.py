"""Cuts the caller's texts in place to max_length words before tokenizing them."""


def encode_batch(tokenizer, texts, max_length):
    for index, text in enumerate(texts):
        texts[index] = " ".join(text.split(" ")[:max_length])
    return tokenizer(texts, padding=True, truncation=True, max_length=max_length, return_tensors="pt")
