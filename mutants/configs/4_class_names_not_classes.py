"""Returns the class names as strings instead of the classes."""


def auto_class_for(task):
    return {
        "text-generation": "AutoModelForCausalLM",
        "feature-extraction": "AutoModel",
        "text-classification": "AutoModelForSequenceClassification",
        "token-classification": "AutoModelForTokenClassification",
        "fill-mask": "AutoModelForMaskedLM",
        "image-classification": "AutoModelForImageClassification",
    }[task]
