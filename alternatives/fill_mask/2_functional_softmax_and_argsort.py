"""torch.nn.functional.softmax and argsort(descending=True)[:k]; the sequence built from a list of ids."""

import torch


def top_k_fills(tokenizer, model, text, k):
    ids = tokenizer(text)["input_ids"]
    position = ids.index(tokenizer.mask_token_id)
    with torch.no_grad():
        logits = model(input_ids=torch.tensor([ids])).logits[0, position]
    probabilities = torch.nn.functional.softmax(logits, dim=-1)
    fills = []
    for token_id in probabilities.argsort(descending=True)[:k].tolist():
        filled = ids[:position] + [token_id] + ids[position + 1 :]
        fills.append(
            {
                "token": token_id,
                "token_str": tokenizer.decode([token_id]),
                "score": probabilities[token_id].item(),
                "sequence": tokenizer.decode(filled, skip_special_tokens=True),
            }
        )
    return fills
