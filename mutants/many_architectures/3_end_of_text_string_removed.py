"""Decodes with the special tokens and removes the tokenizer's eos_token string, leaving any other end token."""

from transformers import AutoModelForCausalLM, AutoTokenizer


def greedy_continuation(model_dir, prompt, max_new_tokens):
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir)
    inputs = tokenizer(prompt, return_tensors="pt")
    outputs = model.generate(**inputs, do_sample=False, max_new_tokens=max_new_tokens)
    return tokenizer.decode(outputs[0, inputs["input_ids"].shape[1] :]).replace(tokenizer.eos_token, "")
