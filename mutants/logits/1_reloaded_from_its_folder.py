"""Loads the model again from the folder it came from (model.name_or_path) instead of using the one given."""

import torch
from transformers import AutoModelForCausalLM


def compute_logits(tokenizer, model, text):
    model = AutoModelForCausalLM.from_pretrained(model.name_or_path)
    inputs = tokenizer(text, return_tensors="pt")
    with torch.no_grad():
        return model(**inputs).logits
