"""Takes the last position of each row, as for a decoder, instead of position 0."""

import torch


def cls_pool(tokenizer, model, texts):
    inputs = tokenizer(texts, padding=True, return_tensors="pt")
    with torch.no_grad():
        return model(**inputs).last_hidden_state[:, -1]
