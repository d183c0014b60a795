"""Returns (model, image_processor), the two in the wrong order."""

from transformers import AutoImageProcessor, AutoModelForImageClassification


def load_classifier(model_dir):
    return AutoModelForImageClassification.from_pretrained(model_dir), AutoImageProcessor.from_pretrained(model_dir)
