"""Bakes return_tensors=True into the pipeline, so every call returns tensors, not the task's nested lists."""

from transformers import pipeline


def build_extractor(model_dir):
    return pipeline("feature-extraction", model=model_dir, return_tensors=True)
