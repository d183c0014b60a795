"""Decides that the model ended when fewer than max_new_tokens tokens came out."""


def greedy_with_end(tokenizer, model, prompt, max_new_tokens):
    inputs = tokenizer(prompt, return_tensors="pt")
    output = model.generate(**inputs, do_sample=False, max_new_tokens=max_new_tokens)
    new_ids = output[0, inputs["input_ids"].shape[1] :]
    return tokenizer.decode(new_ids, skip_special_tokens=True), len(new_ids) < max_new_tokens
