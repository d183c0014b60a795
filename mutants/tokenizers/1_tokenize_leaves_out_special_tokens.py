"""Names the tokens with tokenizer.tokenize(text), which leaves [CLS] and [SEP] out."""


def encode_and_decode(tokenizer, text):
    ids = tokenizer(text)["input_ids"]
    tokens = tokenizer.tokenize(text)
    return ids, tokens, tokenizer.decode(ids, skip_special_tokens=True)
