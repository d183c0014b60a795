"""Builds a greedy pipeline call on the tokenizer and model it is given."""

from transformers import pipeline


def generate_text(tokenizer, model, prompt, max_new_tokens):
    generator = pipeline("text-generation", model=model, tokenizer=tokenizer)
    return generator(prompt, do_sample=False, max_new_tokens=max_new_tokens)[0]["generated_text"]
