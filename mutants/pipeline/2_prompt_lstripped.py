"""Cuts the prompt off the full text with lstrip(prompt), which strips characters, not a prefix."""


def continue_text(generator, prompt, max_new_tokens):
    results = generator(prompt, do_sample=False, max_new_tokens=max_new_tokens)
    return results[0]["generated_text"].lstrip(prompt)
