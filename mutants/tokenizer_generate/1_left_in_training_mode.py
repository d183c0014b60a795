"""Calls model.train() after loading, "to get the model ready", so dropout stays on."""

from transformers import AutoModelForCausalLM, AutoTokenizer


def load_tokenizer_and_model(model_dir):
    model = AutoModelForCausalLM.from_pretrained(model_dir)
    model.train()
    return AutoTokenizer.from_pretrained(model_dir), model
