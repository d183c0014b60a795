"""Decodes without skip_special_tokens=True, so <|endoftext|> stays in the text."""


def generate_text(tokenizer, model, prompt, max_new_tokens):
    inputs = tokenizer(prompt, return_tensors="pt")
    outputs = model.generate(**inputs, do_sample=False, max_new_tokens=max_new_tokens)
    return tokenizer.decode(outputs[0])
