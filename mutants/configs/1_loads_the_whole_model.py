"""Loads the whole model with from_pretrained just to read its config."""

from transformers import AutoModel


def features_shape(model_dir, batch_size, num_tokens):
    return (batch_size, num_tokens, AutoModel.from_pretrained(model_dir).config.hidden_size)
