"""Builds a text-generation pipeline from the folder and takes its tokenizer and model."""

from transformers import pipeline


def load_tokenizer_and_model(model_dir):
    generator = pipeline("text-generation", model=model_dir)
    return generator.tokenizer, generator.model
