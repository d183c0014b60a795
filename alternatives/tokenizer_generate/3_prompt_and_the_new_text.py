"""Decodes only the new ids and puts the prompt in front, as the pipeline itself does."""

import torch


def generate_text(tokenizer, model, prompt, max_new_tokens):
    inputs = tokenizer(prompt, return_tensors="pt")
    with torch.no_grad():
        outputs = model.generate(**inputs, do_sample=False, max_new_tokens=max_new_tokens)
    return prompt + tokenizer.decode(outputs[0, inputs["input_ids"].shape[1] :], skip_special_tokens=True)
