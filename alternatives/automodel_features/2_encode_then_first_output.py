"""tokenizer.encode for the ids alone, and the output's first item instead of its last_hidden_state field."""

import torch


def embed_text(tokenizer, model, text):
    input_ids = tokenizer.encode(text, return_tensors="pt")
    with torch.inference_mode():
        return model(input_ids)[0]
