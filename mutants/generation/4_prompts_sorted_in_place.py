"""Sorts the caller's list of prompts by length in place (to pad less), then puts the texts back in its order."""


def generate_batch(tokenizer, model, prompts, max_new_tokens):
    original = list(prompts)
    prompts.sort(key=len)
    tokenizer.pad_token = tokenizer.eos_token
    tokenizer.padding_side = "left"
    inputs = tokenizer(prompts, padding=True, return_tensors="pt")
    output = model.generate(**inputs, do_sample=False, max_new_tokens=max_new_tokens)
    texts = dict(
        zip(
            prompts,
            tokenizer.batch_decode(output[:, inputs["input_ids"].shape[1] :], skip_special_tokens=True),
            strict=True,
        )
    )
    return [texts[prompt] for prompt in original]
