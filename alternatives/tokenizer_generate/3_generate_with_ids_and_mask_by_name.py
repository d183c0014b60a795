"""Passes the ids positionally and the mask by name, and decodes with batch_decode."""


def generate_text(tokenizer, model, prompt, max_new_tokens):
    inputs = encode_prompt(tokenizer, prompt)
    outputs = model.generate(
        inputs["input_ids"], attention_mask=inputs["attention_mask"], do_sample=False, max_new_tokens=max_new_tokens
    )
    return tokenizer.batch_decode(outputs, skip_special_tokens=True)[0]
