"""Builds the pipeline with max_new_tokens=20, "a sensible default" that every call then carries."""

from transformers import pipeline


def build_generator(model_dir):
    return pipeline("text-generation", model=model_dir, max_new_tokens=20)
