"""Uses from_config where from_pretrained was meant: a classifier with a random head and body."""

from transformers import AutoConfig, AutoModelForSequenceClassification, AutoTokenizer


def load_classifier(model_dir):
    config = AutoConfig.from_pretrained(model_dir)
    return AutoTokenizer.from_pretrained(model_dir), AutoModelForSequenceClassification.from_config(config)
