"""Passes eos_token_id=tokenizer.eos_token_id, which replaces the model's own end ids (the chat model has two)."""


def continue_text(generator, prompt, max_new_tokens):
    results = generator(
        prompt,
        do_sample=False,
        max_new_tokens=max_new_tokens,
        return_full_text=False,
        eos_token_id=generator.tokenizer.eos_token_id,
    )
    return results[0]["generated_text"]
