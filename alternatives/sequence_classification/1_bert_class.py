"""The model's own class, BertForSequenceClassification, instead of the Auto class."""

from transformers import AutoTokenizer, BertForSequenceClassification


def load_classifier(model_dir):
    return AutoTokenizer.from_pretrained(model_dir), BertForSequenceClassification.from_pretrained(model_dir)
