"""Reports config.model_type ('gpt2', 'llama'), the family's name, not the class's."""

from transformers import AutoConfig


def architecture(model_dir):
    return AutoConfig.from_pretrained(model_dir).model_type
