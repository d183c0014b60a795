"""Decodes without skip_special_tokens=True, so padding and <|endoftext|> stay in the texts."""


def generate_batch(tokenizer, model, prompts, max_new_tokens):
    tokenizer.pad_token = tokenizer.eos_token
    tokenizer.padding_side = "left"
    inputs = tokenizer(prompts, padding=True, return_tensors="pt")
    output = model.generate(**inputs, do_sample=False, max_new_tokens=max_new_tokens)
    return tokenizer.batch_decode(output[:, inputs["input_ids"].shape[1] :])
