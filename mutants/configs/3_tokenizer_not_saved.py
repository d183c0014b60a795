"""Saves the model only, forgetting that the tokenizer has files of its own."""

from transformers import AutoModel, AutoTokenizer


def save_and_reload(tokenizer, model, folder):
    model.save_pretrained(folder)
    return AutoTokenizer.from_pretrained(folder), AutoModel.from_pretrained(folder)
