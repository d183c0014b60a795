"""Uses from_pretrained where from_config was meant, so the saved weights come back."""

from transformers import AutoModel


def fresh_model(model_dir):
    return AutoModel.from_pretrained(model_dir)
