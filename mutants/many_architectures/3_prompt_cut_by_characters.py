"""Decodes the whole output without special tokens and cuts the prompt off by its number of characters."""

from transformers import AutoModelForCausalLM, AutoTokenizer


def greedy_continuation(model_dir, prompt, max_new_tokens):
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir)
    inputs = tokenizer(prompt, return_tensors="pt")
    outputs = model.generate(**inputs, do_sample=False, max_new_tokens=max_new_tokens)
    return tokenizer.decode(outputs[0], skip_special_tokens=True)[len(prompt) :]
