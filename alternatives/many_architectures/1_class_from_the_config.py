"""The class AutoModelForCausalLM builds from the folder's config alone (from_config), without loading weights."""

from transformers import AutoConfig, AutoModelForCausalLM


def architecture(model_dir):
    return AutoModelForCausalLM.from_config(AutoConfig.from_pretrained(model_dir)).__class__.__name__
