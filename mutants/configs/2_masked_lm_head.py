"""Builds the model with AutoModelForMaskedLM.from_config, which adds a head."""

from transformers import AutoConfig, AutoModelForMaskedLM


def fresh_model(model_dir):
    return AutoModelForMaskedLM.from_config(AutoConfig.from_pretrained(model_dir))
