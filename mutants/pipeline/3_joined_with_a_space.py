"""Joins the prompt and the new text with a space, which the new text already starts with or does not need."""


def complete_text(generator, prompt, max_new_tokens):
    results = generator(prompt, do_sample=False, max_new_tokens=max_new_tokens, return_full_text=False)
    return prompt + " " + results[0]["generated_text"]
