"""Passes the fine-tuning tutorial's id2label and label2id to from_pretrained, replacing the saved label names."""

from transformers import AutoModelForSequenceClassification, AutoTokenizer


def load_classifier(model_dir):
    id2label = {0: "NEGATIVE", 1: "POSITIVE"}
    label2id = {"NEGATIVE": 0, "POSITIVE": 1}
    model = AutoModelForSequenceClassification.from_pretrained(
        model_dir, num_labels=2, id2label=id2label, label2id=label2id
    )
    return AutoTokenizer.from_pretrained(model_dir), model
