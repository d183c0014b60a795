"""Uses from_config where from_pretrained was meant: the right architecture, random weights."""

from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer


def load_tokenizer_and_model(model_dir):
    config = AutoConfig.from_pretrained(model_dir)
    return AutoTokenizer.from_pretrained(model_dir), AutoModelForCausalLM.from_config(config)
