"""Reaches the bare model through model.model, which Llama-style models have but GPT-2 and BERT do not."""

from transformers import pipeline


def backbone_features(tokenizer, model, text):
    bare = model.model if hasattr(model, "model") else model
    extractor = pipeline("feature-extraction", model=bare, tokenizer=tokenizer)
    return extractor(text, return_tensors=True)
