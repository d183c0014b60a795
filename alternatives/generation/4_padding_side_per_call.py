"""padding_side="left" given per call, a pad token set only where missing, the rows decoded one by one."""


def generate_batch(tokenizer, model, prompts, max_new_tokens):
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    inputs = tokenizer(prompts, padding="longest", padding_side="left", return_tensors="pt")
    output = model.generate(**inputs, do_sample=False, max_new_tokens=max_new_tokens)
    prompt_length = inputs["input_ids"].shape[1]
    return [tokenizer.decode(row[prompt_length:], skip_special_tokens=True) for row in output]
