"""Bakes batch_size=8 into the pipeline "for speed", so a list of texts is padded to its longest."""

from transformers import pipeline


def build_extractor(model_dir):
    return pipeline("feature-extraction", model=model_dir, batch_size=8)
