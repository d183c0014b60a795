"""The [CLS] column of the last entry of hidden_states, with ellipsis indexing."""

import torch


def cls_pool(tokenizer, model, texts):
    inputs = tokenizer(texts, padding=True, return_tensors="pt")
    with torch.no_grad():
        hidden_states = model(**inputs, output_hidden_states=True).hidden_states
    return hidden_states[-1][:, 0, ...]
