"""Builds the encoder with from_config (random weights) where from_pretrained was meant."""

from transformers import AutoConfig, AutoModel, AutoTokenizer, pipeline


def build_extractor(model_dir):
    model = AutoModel.from_config(AutoConfig.from_pretrained(model_dir))
    return pipeline("feature-extraction", model=model, tokenizer=AutoTokenizer.from_pretrained(model_dir))
