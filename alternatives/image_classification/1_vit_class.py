"""The model's own class, ViTForImageClassification, instead of the Auto class."""

from transformers import AutoImageProcessor, ViTForImageClassification


def load_classifier(model_dir):
    return AutoImageProcessor.from_pretrained(model_dir), ViTForImageClassification.from_pretrained(model_dir)
