"""Passes eos_token_id=tokenizer.eos_token_id, which replaces the model's own end ids (the chat model has two)."""


def generate_text(tokenizer, model, prompt, max_new_tokens):
    inputs = tokenizer(prompt, return_tensors="pt")
    outputs = model.generate(
        **inputs, do_sample=False, max_new_tokens=max_new_tokens, eos_token_id=tokenizer.eos_token_id
    )
    return tokenizer.decode(outputs[0], skip_special_tokens=True)
