"""Runs the text-classification pipeline on the model's folder (model.name_or_path) instead of the model given."""

from transformers import pipeline


def classify(tokenizer, model, text):
    best = pipeline("text-classification", model=model.name_or_path)(text)[0]
    return best["label"], best["score"]
