"""Iterates over the topk tensors themselves: every "token" and "score" is a 0-d tensor."""

import torch


def top_k_fills(tokenizer, model, text, k):
    inputs = tokenizer(text, return_tensors="pt")
    (position,) = mask_positions(tokenizer, text)
    with torch.no_grad():
        probabilities = model(**inputs).logits[0, position].softmax(dim=-1)
    scores, token_ids = probabilities.topk(k)
    fills = []
    for score, token_id in zip(scores, token_ids, strict=True):
        filled = inputs["input_ids"][0].clone()
        filled[position] = token_id
        fills.append(
            {
                "token": token_id,
                "token_str": tokenizer.decode([token_id]),
                "score": score,
                "sequence": tokenizer.decode(filled, skip_special_tokens=True),
            }
        )
    return fills
