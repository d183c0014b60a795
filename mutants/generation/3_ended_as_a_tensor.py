"""Returns ended as a 0-d bool tensor (torch.isin(...).any()) instead of a Python bool."""

import torch


def greedy_with_end(tokenizer, model, prompt, max_new_tokens):
    inputs = tokenizer(prompt, return_tensors="pt")
    output = model.generate(**inputs, do_sample=False, max_new_tokens=max_new_tokens)
    new_ids = output[0, inputs["input_ids"].shape[1] :]
    eos = model.generation_config.eos_token_id
    ended = torch.isin(new_ids, torch.tensor(eos if isinstance(eos, list) else [eos])).any()
    return tokenizer.decode(new_ids, skip_special_tokens=True), ended
