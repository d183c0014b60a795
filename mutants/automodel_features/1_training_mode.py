"""Calls model.train() after loading, leaving dropout switched on for inference."""

from transformers import AutoModel, AutoTokenizer


def load_encoder(model_dir):
    model = AutoModel.from_pretrained(model_dir)
    model.train()
    return AutoTokenizer.from_pretrained(model_dir), model
