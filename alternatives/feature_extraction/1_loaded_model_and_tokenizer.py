"""The pipeline built from a bare model and a tokenizer loaded by hand, not from the folder's path."""

from transformers import AutoModel, AutoTokenizer


def build_extractor(model_dir):
    model = AutoModel.from_pretrained(model_dir)
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    return pipeline(task="feature-extraction", model=model, tokenizer=tokenizer)
