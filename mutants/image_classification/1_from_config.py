"""Uses from_config where from_pretrained was meant: the right classifier, random weights."""

from transformers import AutoConfig, AutoImageProcessor, AutoModelForImageClassification


def load_classifier(model_dir):
    config = AutoConfig.from_pretrained(model_dir)
    return AutoImageProcessor.from_pretrained(model_dir), AutoModelForImageClassification.from_config(config)
