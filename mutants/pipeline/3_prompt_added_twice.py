"""Puts the prompt in front of the full text, which already starts with it."""


def complete_text(generator, prompt, max_new_tokens):
    results = generator(prompt, do_sample=False, max_new_tokens=max_new_tokens)
    return prompt + results[0]["generated_text"]
