"""Strips the continuation, which loses the space it starts with."""


def continue_text(generator, prompt, max_new_tokens):
    results = generator(prompt, do_sample=False, max_new_tokens=max_new_tokens, return_full_text=False)
    return results[0]["generated_text"].strip()
