"""Passes max_length=max_new_tokens, which counts the prompt's tokens too."""


def generate_text(tokenizer, model, prompt, max_new_tokens):
    inputs = tokenizer(prompt, return_tensors="pt")
    outputs = model.generate(**inputs, do_sample=False, max_length=max_new_tokens)
    return tokenizer.decode(outputs[0], skip_special_tokens=True)
