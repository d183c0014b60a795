"""Asks pipeline() for "fill-mask" instead of "feature-extraction"."""

from transformers import pipeline


def build_extractor(model_dir):
    return pipeline("fill-mask", model=model_dir)
