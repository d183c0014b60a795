"""Gives "fill-mask" the causal LM class, as if every language model predicted tokens the same way."""

from transformers import (
    AutoModel,
    AutoModelForCausalLM,
    AutoModelForImageClassification,
    AutoModelForSequenceClassification,
    AutoModelForTokenClassification,
)


def auto_class_for(task):
    return {
        "text-generation": AutoModelForCausalLM,
        "feature-extraction": AutoModel,
        "text-classification": AutoModelForSequenceClassification,
        "token-classification": AutoModelForTokenClassification,
        "fill-mask": AutoModelForCausalLM,
        "image-classification": AutoModelForImageClassification,
    }[task]
