"""Looks for <|endoftext|> in the decoded text, from which skip_special_tokens removed it."""


def greedy_with_end(tokenizer, model, prompt, max_new_tokens):
    inputs = tokenizer(prompt, return_tensors="pt")
    output = model.generate(**inputs, do_sample=False, max_new_tokens=max_new_tokens)
    text = tokenizer.decode(output[0, inputs["input_ids"].shape[1] :], skip_special_tokens=True)
    return text, tokenizer.eos_token in text
