"""The text-classification pipeline itself, built on the tokenizer and the model given."""

from transformers import pipeline


def classify(tokenizer, model, text):
    best = pipeline("text-classification", model=model, tokenizer=tokenizer)(text)[0]
    return best["label"], best["score"]
