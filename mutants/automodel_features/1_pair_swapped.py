"""Returns the pair the other way round, (model, tokenizer)."""

from transformers import AutoModel, AutoTokenizer


def load_encoder(model_dir):
    return AutoModel.from_pretrained(model_dir), AutoTokenizer.from_pretrained(model_dir)
