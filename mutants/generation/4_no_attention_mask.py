"""Pads on the left but passes only input_ids to generate(), so the padding is attended to."""


def generate_batch(tokenizer, model, prompts, max_new_tokens):
    tokenizer.pad_token = tokenizer.eos_token
    tokenizer.padding_side = "left"
    inputs = tokenizer(prompts, padding=True, return_tensors="pt")
    output = model.generate(inputs["input_ids"], do_sample=False, max_new_tokens=max_new_tokens)
    return tokenizer.batch_decode(output[:, inputs["input_ids"].shape[1] :], skip_special_tokens=True)
