"""Loads the model, calls model.train() "to get it ready", and builds the pipeline on it."""

from transformers import AutoModelForCausalLM, AutoTokenizer, pipeline


def build_generator(model_dir):
    model = AutoModelForCausalLM.from_pretrained(model_dir)
    model.train()
    return pipeline("text-generation", model=model, tokenizer=AutoTokenizer.from_pretrained(model_dir))
