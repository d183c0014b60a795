"""Loads AutoModelForMaskedLM, which puts a task head on the encoder."""

from transformers import AutoModelForMaskedLM, AutoTokenizer


def load_encoder(model_dir):
    return AutoTokenizer.from_pretrained(model_dir), AutoModelForMaskedLM.from_pretrained(model_dir)
