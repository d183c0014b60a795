"""Reloads the model with from_config, which reads the architecture but not the saved weights."""

from transformers import AutoConfig, AutoModel, AutoTokenizer


def save_and_reload(tokenizer, model, folder):
    tokenizer.save_pretrained(folder)
    model.save_pretrained(folder)
    return AutoTokenizer.from_pretrained(folder), AutoModel.from_config(AutoConfig.from_pretrained(folder))
