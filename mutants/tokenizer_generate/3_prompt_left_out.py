"""Decodes only the new ids, so the prompt is missing from the text."""


def generate_text(tokenizer, model, prompt, max_new_tokens):
    inputs = tokenizer(prompt, return_tensors="pt")
    outputs = model.generate(**inputs, do_sample=False, max_new_tokens=max_new_tokens)
    return tokenizer.decode(outputs[0, inputs["input_ids"].shape[1] :], skip_special_tokens=True)
