"""Builds the ids tensor by hand from the template's list, as int32: not the library's tensor of ids."""

import torch


def chat_prompt_ids(tokenizer, messages):
    ids = tokenizer.apply_chat_template(messages, add_generation_prompt=True)["input_ids"]
    return torch.tensor([ids], dtype=torch.int32)
