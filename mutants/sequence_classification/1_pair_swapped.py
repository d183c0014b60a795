"""Returns (model, tokenizer), the two in the wrong order."""

from transformers import AutoModelForSequenceClassification, AutoTokenizer


def load_classifier(model_dir):
    return AutoModelForSequenceClassification.from_pretrained(model_dir), AutoTokenizer.from_pretrained(model_dir)
