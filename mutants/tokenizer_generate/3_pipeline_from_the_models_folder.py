"""Builds a pipeline from the model's folder (model.name_or_path), which loads the saved model again."""

from transformers import pipeline


def generate_text(tokenizer, model, prompt, max_new_tokens):
    generator = pipeline("text-generation", model=model.name_or_path)
    return generator(prompt, do_sample=False, max_new_tokens=max_new_tokens)[0]["generated_text"]
