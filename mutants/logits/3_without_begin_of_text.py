"""Starts the loop from the prompt's ids without the special tokens the tokenizer adds (add_special_tokens=False)."""

import torch


def greedy_decode(tokenizer, model, prompt, max_new_tokens):
    ids = tokenizer(prompt, return_tensors="pt", add_special_tokens=False)["input_ids"]
    eos = model.generation_config.eos_token_id
    end_ids = {eos} if isinstance(eos, int) else set(eos)
    with torch.no_grad():
        for _ in range(max_new_tokens):
            next_id = model(input_ids=ids).logits[0, -1].argmax()
            ids = torch.cat([ids, next_id.view(1, 1)], dim=1)
            if next_id.item() in end_ids:
                break
    return ids
