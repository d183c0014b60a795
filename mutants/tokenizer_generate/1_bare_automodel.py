"""Loads the model with AutoModel, which has no language-modelling head."""

from transformers import AutoModel, AutoTokenizer


def load_tokenizer_and_model(model_dir):
    return AutoTokenizer.from_pretrained(model_dir), AutoModel.from_pretrained(model_dir)
