"""tokenizer.encode(..., return_tensors="pt") for the ids, and the model called on input_ids alone."""

import torch


def compute_logits(tokenizer, model, text):
    input_ids = tokenizer.encode(text, return_tensors="pt")
    with torch.inference_mode():
        return model(input_ids=input_ids).logits
