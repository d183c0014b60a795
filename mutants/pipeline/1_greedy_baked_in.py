"""Builds the pipeline with do_sample=False, so that every call is greedy whatever it asks for."""

from transformers import pipeline


def build_generator(model_dir):
    return pipeline("text-generation", model=model_dir, do_sample=False)
