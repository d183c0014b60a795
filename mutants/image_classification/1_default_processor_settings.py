"""Builds a ViTImageProcessor with its default settings instead of loading the saved one."""

from transformers import AutoModelForImageClassification, ViTImageProcessor


def load_classifier(model_dir):
    return ViTImageProcessor(), AutoModelForImageClassification.from_pretrained(model_dir)
