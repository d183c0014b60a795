"""Loads AutoModel, the encoder without its classification head."""

from transformers import AutoModel, AutoTokenizer


def load_classifier(model_dir):
    return AutoTokenizer.from_pretrained(model_dir), AutoModel.from_pretrained(model_dir)
