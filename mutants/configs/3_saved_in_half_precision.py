"""Converts the model to half precision before saving it, to take less disk: the caller's model changes too."""

from transformers import AutoModel, AutoTokenizer


def save_and_reload(tokenizer, model, folder):
    tokenizer.save_pretrained(folder)
    model.half().save_pretrained(folder)
    return AutoTokenizer.from_pretrained(folder), AutoModel.from_pretrained(folder)
