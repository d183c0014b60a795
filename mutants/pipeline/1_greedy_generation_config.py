"""Makes the loaded model greedy through its generation_config before building the pipeline on it."""

from transformers import AutoModelForCausalLM, AutoTokenizer, pipeline


def build_generator(model_dir):
    model = AutoModelForCausalLM.from_pretrained(model_dir)
    model.generation_config.do_sample = False
    return pipeline("text-generation", model=model, tokenizer=AutoTokenizer.from_pretrained(model_dir))
