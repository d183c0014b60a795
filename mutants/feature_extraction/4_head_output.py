"""Builds the pipeline on the model with its head, whose first output is the logits."""

from transformers import pipeline


def backbone_features(tokenizer, model, text):
    extractor = pipeline("feature-extraction", model=model, tokenizer=tokenizer)
    return extractor(text, return_tensors=True)
