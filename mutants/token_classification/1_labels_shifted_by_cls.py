"""Pairs tokenizer.tokenize(text) with the label rows from position 0, so every label is [CLS]'s neighbour's."""

import torch


def token_labels(tokenizer, model, text):
    inputs = tokenizer(text, return_tensors="pt")
    with torch.no_grad():
        label_ids = model(**inputs).logits[0].argmax(dim=-1).tolist()
    tokens = tokenizer.tokenize(text)
    return [(token, model.config.id2label[label_id]) for token, label_id in zip(tokens, label_ids, strict=False)]
