"""Loads the weights in float16 "to save memory", so they are not the saved ones."""

import torch
from transformers import AutoModel, AutoTokenizer


def load_encoder(model_dir):
    return AutoTokenizer.from_pretrained(model_dir), AutoModel.from_pretrained(model_dir, dtype=torch.float16)
