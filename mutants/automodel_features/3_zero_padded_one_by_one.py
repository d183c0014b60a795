"""Embeds each text alone and pads the results with zeros instead of running the padded batch."""

import torch


def embed_batch(tokenizer, model, texts):
    with torch.no_grad():
        states = [model(**tokenizer(text, return_tensors="pt")).last_hidden_state[0] for text in texts]
    return torch.nn.utils.rnn.pad_sequence(states, batch_first=True)
