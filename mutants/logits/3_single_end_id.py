"""Compares the next id with eos_token_id as one id: on a model whose eos_token_id is a list it never stops."""

import torch


def greedy_decode(tokenizer, model, prompt, max_new_tokens):
    ids = tokenizer(prompt, return_tensors="pt")["input_ids"]
    eos_id = model.generation_config.eos_token_id
    with torch.no_grad():
        for _ in range(max_new_tokens):
            next_id = model(input_ids=ids).logits[0, -1].argmax()
            ids = torch.cat([ids, next_id.view(1, 1)], dim=1)
            if next_id.item() == eos_id:
                break
    return ids
