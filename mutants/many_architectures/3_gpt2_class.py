"""Loads with GPT2LMHeadModel instead of the Auto class, which only fits GPT-2 folders."""

from transformers import AutoTokenizer, GPT2LMHeadModel


def greedy_continuation(model_dir, prompt, max_new_tokens):
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = GPT2LMHeadModel.from_pretrained(model_dir)
    inputs = tokenizer(prompt, return_tensors="pt")
    outputs = model.generate(**inputs, do_sample=False, max_new_tokens=max_new_tokens)
    return tokenizer.decode(outputs[0, inputs["input_ids"].shape[1] :], skip_special_tokens=True)
