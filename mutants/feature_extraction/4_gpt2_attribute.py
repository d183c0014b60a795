"""Reaches the bare model through model.transformer, which only GPT-2 models have."""

from transformers import pipeline


def backbone_features(tokenizer, model, text):
    extractor = pipeline("feature-extraction", model=model.transformer, tokenizer=tokenizer)
    return extractor(text, return_tensors=True)
