"""Always adds max_new_tokens tokens, going on after the end-of-text token."""

import torch


def greedy_decode(tokenizer, model, prompt, max_new_tokens):
    ids = tokenizer(prompt, return_tensors="pt")["input_ids"]
    with torch.no_grad():
        for _ in range(max_new_tokens):
            next_id = model(input_ids=ids).logits[0, -1].argmax()
            ids = torch.cat([ids, next_id.view(1, 1)], dim=1)
    return ids
