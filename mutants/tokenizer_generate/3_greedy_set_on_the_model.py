"""Makes generation greedy by setting the model's generation_config, which changes the caller's model for good."""


def generate_text(tokenizer, model, prompt, max_new_tokens):
    model.generation_config.do_sample = False
    model.generation_config.max_new_tokens = max_new_tokens
    outputs = model.generate(**tokenizer(prompt, return_tensors="pt"))
    return tokenizer.decode(outputs[0], skip_special_tokens=True)
