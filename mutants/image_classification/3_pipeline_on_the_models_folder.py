"""Runs the image-classification pipeline on the model's folder (model.name_or_path) instead of the model given."""

from transformers import pipeline


def classify(image_processor, model, image):
    return pipeline("image-classification", model=model.name_or_path)(image, top_k=1)[0]
