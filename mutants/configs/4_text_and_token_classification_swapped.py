"""Mixes up text and token classification: each task gets the other's head."""

from transformers import (
    AutoModel,
    AutoModelForCausalLM,
    AutoModelForImageClassification,
    AutoModelForMaskedLM,
    AutoModelForSequenceClassification,
    AutoModelForTokenClassification,
)


def auto_class_for(task):
    return {
        "text-generation": AutoModelForCausalLM,
        "feature-extraction": AutoModel,
        "text-classification": AutoModelForTokenClassification,
        "token-classification": AutoModelForSequenceClassification,
        "fill-mask": AutoModelForMaskedLM,
        "image-classification": AutoModelForImageClassification,
    }[task]
