"""Reads the logits at the mask's index in tokenizer.tokenize(text), one position before the mask."""

import torch


def top_k_fills(tokenizer, model, text, k):
    inputs = tokenizer(text, return_tensors="pt")
    position = tokenizer.tokenize(text).index(tokenizer.mask_token)
    with torch.no_grad():
        probabilities = model(**inputs).logits[0, position].softmax(dim=-1)
    scores, token_ids = probabilities.topk(k)
    fills = []
    for score, token_id in zip(scores.tolist(), token_ids.tolist(), strict=True):
        filled = inputs["input_ids"][0].clone()
        filled[position + 1] = token_id
        fills.append(
            {
                "token": token_id,
                "token_str": tokenizer.decode([token_id]),
                "score": score,
                "sequence": tokenizer.decode(filled, skip_special_tokens=True),
            }
        )
    return fills
