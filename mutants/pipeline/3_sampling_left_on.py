"""Leaves the pipeline's default sampling on: no do_sample=False."""


def complete_text(generator, prompt, max_new_tokens):
    results = generator(prompt, max_new_tokens=max_new_tokens)
    return results[0]["generated_text"]
