"""Takes the full text and cuts the prompt off its front."""


def continue_text(generator, prompt, max_new_tokens):
    full_text = generator(prompt, do_sample=False, max_new_tokens=max_new_tokens)[0]["generated_text"]
    return full_text.removeprefix(prompt)
