"""Loads AutoModel, the vision backbone without its classification head."""

from transformers import AutoImageProcessor, AutoModel


def load_classifier(model_dir):
    return AutoImageProcessor.from_pretrained(model_dir), AutoModel.from_pretrained(model_dir)
