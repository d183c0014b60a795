"""Returns the model class itself instead of its name."""

from transformers import AutoModelForCausalLM


def architecture(model_dir):
    return type(AutoModelForCausalLM.from_pretrained(model_dir))
