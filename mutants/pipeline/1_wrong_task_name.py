"""Asks pipeline() for "feature-extraction" instead of "text-generation"."""

from transformers import pipeline


def build_generator(model_dir):
    return pipeline("feature-extraction", model=model_dir)
