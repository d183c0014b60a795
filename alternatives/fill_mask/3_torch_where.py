"""torch.where picks the argmax at the masks and keeps the other ids; [CLS] and [SEP] sliced off before decoding."""

import torch


def fill_masks(tokenizer, model, text):
    inputs = tokenizer(text, return_tensors="pt")
    with torch.no_grad():
        best = model(**inputs).logits[0].argmax(dim=-1)
    ids = inputs["input_ids"][0]
    filled = torch.where(ids == tokenizer.mask_token_id, best, ids)
    return tokenizer.decode(filled[1:-1])
