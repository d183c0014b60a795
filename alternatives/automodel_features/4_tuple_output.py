"""return_dict=False and the output tuple's third item: (last_hidden_state, pooler_output, hidden_states)."""

import torch


def all_hidden_states(tokenizer, model, text):
    inputs = tokenizer(text, return_tensors="pt")
    with torch.no_grad():
        return model(**inputs, output_hidden_states=True, return_dict=False)[2]
