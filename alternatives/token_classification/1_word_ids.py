"""The encoding's word_ids() tell the special tokens (None) apart; torch.argmax over the labels of all rows."""

import torch


def token_labels(tokenizer, model, text):
    encoding = tokenizer(text, return_tensors="pt")
    with torch.no_grad():
        label_ids = torch.argmax(model(**encoding).logits, dim=2)[0]
    return [
        (encoding.tokens()[position], model.config.id2label[int(label_ids[position])])
        for position, word in enumerate(encoding.word_ids())
        if word is not None
    ]
