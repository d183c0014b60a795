"""Forgets return_full_text=False, so the prompt stays in front of the continuation."""


def continue_text(generator, prompt, max_new_tokens):
    results = generator(prompt, do_sample=False, max_new_tokens=max_new_tokens)
    return results[0]["generated_text"]
