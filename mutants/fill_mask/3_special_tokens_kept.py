"""Decodes the filled-in ids without skip_special_tokens, so [CLS] and [SEP] stay in the text."""

import torch


def fill_masks(tokenizer, model, text):
    inputs = tokenizer(text, return_tensors="pt")
    positions = mask_positions(tokenizer, text)
    with torch.no_grad():
        logits = model(**inputs).logits[0]
    filled = inputs["input_ids"][0].clone()
    filled[positions] = logits[positions].argmax(dim=-1)
    return tokenizer.decode(filled)
