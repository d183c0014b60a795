"""The prompt, then the continuation of task 2."""


def complete_text(generator, prompt, max_new_tokens):
    return prompt + continue_text(generator, prompt, max_new_tokens)
