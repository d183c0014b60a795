"""Looks for the tokenizer's eos_token_id only, so an end at a chat model's <|end|> counts as cut off."""


def greedy_with_end(tokenizer, model, prompt, max_new_tokens):
    inputs = tokenizer(prompt, return_tensors="pt")
    output = model.generate(**inputs, do_sample=False, max_new_tokens=max_new_tokens)
    new_ids = output[0, inputs["input_ids"].shape[1] :]
    return tokenizer.decode(new_ids, skip_special_tokens=True), tokenizer.eos_token_id in new_ids.tolist()
