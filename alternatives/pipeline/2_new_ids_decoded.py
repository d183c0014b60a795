"""Asks the pipeline for the token ids and decodes only the new ones, as the pipeline does."""


def continue_text(generator, prompt, max_new_tokens):
    results = generator(prompt, do_sample=False, max_new_tokens=max_new_tokens, return_tensors=True)
    prompt_length = len(generator.tokenizer(prompt)["input_ids"])
    return generator.tokenizer.decode(results[0]["generated_token_ids"][prompt_length:], skip_special_tokens=True)
