"""Loads with AutoModel, so it names the bare model's class, not the causal LM's."""

from transformers import AutoModel


def architecture(model_dir):
    return type(AutoModel.from_pretrained(model_dir)).__name__
