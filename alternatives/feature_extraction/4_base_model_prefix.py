"""The bare model found by its config's base_model_prefix, and the pipeline class built directly."""

from transformers import FeatureExtractionPipeline


def backbone_features(tokenizer, model, text):
    bare = getattr(model, model.base_model_prefix, model)
    return FeatureExtractionPipeline(model=bare, tokenizer=tokenizer)(text, return_tensors=True)
