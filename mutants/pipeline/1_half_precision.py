"""Builds the pipeline with dtype=torch.float16, as docs do for big models, so the weights are not as saved."""

import torch
from transformers import pipeline


def build_generator(model_dir):
    return pipeline("text-generation", model=model_dir, dtype=torch.float16)
