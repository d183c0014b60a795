"""Replaces each mask of the text string, one after another, with its best token decoded."""

import torch


def fill_masks(tokenizer, model, text):
    inputs = tokenizer(text, return_tensors="pt")
    positions = mask_positions(tokenizer, text)
    with torch.no_grad():
        logits = model(**inputs).logits[0]
    for position in positions:
        text = text.replace(tokenizer.mask_token, tokenizer.decode([logits[position].argmax().item()]), 1)
    return text
