"""Builds a new pipeline from the extractor's model.name_or_path instead of calling the extractor given."""

from transformers import pipeline


def text_features(extractor, text):
    return pipeline("feature-extraction", model=extractor.model.name_or_path)(text, return_tensors=True)
