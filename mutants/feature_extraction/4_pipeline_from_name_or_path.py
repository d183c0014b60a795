"""Builds the pipeline from model.name_or_path, loading the saved bare model instead of using the one given."""

from transformers import pipeline


def backbone_features(tokenizer, model, text):
    extractor = pipeline("feature-extraction", model=model.name_or_path, tokenizer=tokenizer)
    return extractor(text, return_tensors=True)
