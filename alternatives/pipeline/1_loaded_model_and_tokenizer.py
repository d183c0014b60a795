"""The pipeline built from a model and a tokenizer loaded by hand, not from the folder's path."""

from transformers import AutoModelForCausalLM, AutoTokenizer


def build_generator(model_dir):
    model = AutoModelForCausalLM.from_pretrained(model_dir)
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    return pipeline("text-generation", model=model, tokenizer=tokenizer)
