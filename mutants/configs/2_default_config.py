"""Builds the model from a default BertConfig() instead of the folder's config."""

from transformers import AutoModel, BertConfig


def fresh_model(model_dir):
    return AutoModel.from_config(BertConfig())
