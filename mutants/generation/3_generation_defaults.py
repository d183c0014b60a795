"""Leaves the decoding to generate()'s defaults (no do_sample=False), which sample where the model's config does."""


def greedy_with_end(tokenizer, model, prompt, max_new_tokens):
    inputs = tokenizer(prompt, return_tensors="pt")
    output = model.generate(**inputs, max_new_tokens=max_new_tokens)
    new_ids = output[0, inputs["input_ids"].shape[1] :]
    eos = model.generation_config.eos_token_id
    end_ids = {eos} if isinstance(eos, int) else set(eos)
    return tokenizer.decode(new_ids, skip_special_tokens=True), any(t in end_ids for t in new_ids.tolist())
