"""Fills only the first mask, as if every text had one."""

import torch


def fill_masks(tokenizer, model, text):
    inputs = tokenizer(text, return_tensors="pt")
    position = mask_positions(tokenizer, text)[0]
    with torch.no_grad():
        logits = model(**inputs).logits[0]
    filled = inputs["input_ids"][0].clone()
    filled[position] = logits[position].argmax()
    return tokenizer.decode(filled, skip_special_tokens=True)
