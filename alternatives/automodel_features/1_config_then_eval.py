"""Reads the config first, loads the model with it, and switches to eval mode explicitly."""

from transformers import AutoConfig, AutoModel, AutoTokenizer


def load_encoder(model_dir):
    config = AutoConfig.from_pretrained(model_dir)
    model = AutoModel.from_pretrained(model_dir, config=config).eval()
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    return tokenizer, model
