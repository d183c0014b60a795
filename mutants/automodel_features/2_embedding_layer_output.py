"""Takes hidden_states[0] (the embeddings' output) for the last hidden state."""

import torch


def embed_text(tokenizer, model, text):
    inputs = tokenizer(text, return_tensors="pt")
    with torch.no_grad():
        return model(**inputs, output_hidden_states=True).hidden_states[0]
