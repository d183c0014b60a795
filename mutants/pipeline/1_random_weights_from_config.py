"""Builds the model from its config (fresh random weights) and hands that to the pipeline."""

from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer, pipeline


def build_generator(model_dir):
    model = AutoModelForCausalLM.from_config(AutoConfig.from_pretrained(model_dir))
    return pipeline("text-generation", model=model, tokenizer=AutoTokenizer.from_pretrained(model_dir))
