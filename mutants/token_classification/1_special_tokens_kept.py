"""Keeps [CLS] and [SEP] with their labels, as if they were tokens of the text."""

import torch


def token_labels(tokenizer, model, text):
    inputs = tokenizer(text, return_tensors="pt")
    with torch.no_grad():
        label_ids = model(**inputs).logits[0].argmax(dim=-1).tolist()
    tokens = tokenizer.convert_ids_to_tokens(inputs["input_ids"][0])
    return [(token, model.config.id2label[label_id]) for token, label_id in zip(tokens, label_ids, strict=True)]
