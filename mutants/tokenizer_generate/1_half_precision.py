"""Loads the model with dtype=torch.float16 to save memory, so its weights are not as saved."""

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer


def load_tokenizer_and_model(model_dir):
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float16)
    return AutoTokenizer.from_pretrained(model_dir), model
