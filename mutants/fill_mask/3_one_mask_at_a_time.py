"""Fills the masks one after another, each from a new call on the partly filled text."""

import torch


def fill_masks(tokenizer, model, text):
    input_ids = tokenizer(text, return_tensors="pt")["input_ids"]
    for position in mask_positions(tokenizer, text):
        with torch.no_grad():
            logits = model(input_ids=input_ids).logits[0]
        input_ids[0, position] = logits[position].argmax()
    return tokenizer.decode(input_ids[0], skip_special_tokens=True)
