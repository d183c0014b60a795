"""Makes generation greedy by setting the model's generation_config, which changes the caller's model for good."""


def continue_text(generator, prompt, max_new_tokens):
    generator.model.generation_config.update(do_sample=False, max_new_tokens=max_new_tokens)
    return generator(prompt, return_full_text=False)[0]["generated_text"]
