"""The folder created first, the model saved before the tokenizer, both loaded back with the folder as a string."""

import os

from transformers import AutoModel, AutoTokenizer


def save_and_reload(tokenizer, model, folder):
    os.makedirs(folder, exist_ok=True)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    model2 = AutoModel.from_pretrained(str(folder))
    return AutoTokenizer.from_pretrained(str(folder)), model2
