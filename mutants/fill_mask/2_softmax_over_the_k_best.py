"""Takes the k largest logits first, then the softmax over those k only."""

import torch


def top_k_fills(tokenizer, model, text, k):
    inputs = tokenizer(text, return_tensors="pt")
    (position,) = mask_positions(tokenizer, text)
    with torch.no_grad():
        logits, token_ids = model(**inputs).logits[0, position].topk(k)
    scores = logits.softmax(dim=-1)
    fills = []
    for score, token_id in zip(scores.tolist(), token_ids.tolist(), strict=True):
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
