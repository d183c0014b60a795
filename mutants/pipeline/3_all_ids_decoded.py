"""Asks for the token ids and decodes all of them, which drops the special tokens the prompt spells."""


def complete_text(generator, prompt, max_new_tokens):
    results = generator(prompt, do_sample=False, max_new_tokens=max_new_tokens, return_tensors=True)
    return generator.tokenizer.decode(results[0]["generated_token_ids"], skip_special_tokens=True)
