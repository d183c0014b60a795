"""Builds "sequence" by replacing the mask in the text with token_str, not by decoding the filled-in ids."""

import torch


def top_k_fills(tokenizer, model, text, k):
    inputs = tokenizer(text, return_tensors="pt")
    (position,) = mask_positions(tokenizer, text)
    with torch.no_grad():
        probabilities = model(**inputs).logits[0, position].softmax(dim=-1)
    scores, token_ids = probabilities.topk(k)
    fills = []
    for score, token_id in zip(scores.tolist(), token_ids.tolist(), strict=True):
        token_str = tokenizer.decode([token_id])
        fills.append(
            {
                "token": token_id,
                "token_str": token_str,
                "score": score,
                "sequence": text.replace(tokenizer.mask_token, token_str),
            }
        )
    return fills
