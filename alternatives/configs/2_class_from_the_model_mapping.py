"""The bare model's class looked up in the library's MODEL_MAPPING for the config, then called on the config."""

from transformers import MODEL_MAPPING, AutoConfig


def fresh_model(model_dir):
    config = AutoConfig.from_pretrained(model_dir)
    return MODEL_MAPPING[type(config)](config)
