"""The loop with the model's key-value cache: each step feeds only the newest token, as generate() does."""

import torch


def greedy_decode(tokenizer, model, prompt, max_new_tokens):
    inputs = tokenizer(prompt, return_tensors="pt")
    ids, past = inputs["input_ids"], None
    eos = model.generation_config.eos_token_id
    end_ids = torch.tensor([] if eos is None else [eos] if isinstance(eos, int) else eos, dtype=torch.long)
    step_input = ids
    with torch.no_grad():
        for _ in range(max_new_tokens):
            output = model(input_ids=step_input, past_key_values=past, use_cache=True)
            past = output.past_key_values
            next_id = output.logits[:, -1].argmax(dim=-1, keepdim=True)
            ids = torch.cat([ids, next_id], dim=-1)
            if torch.isin(next_id, end_ids).any():
                break
            step_input = next_id
    return ids
