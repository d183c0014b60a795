"""Takes the first row of the template's ids, so the batch dimension is gone."""


def chat_prompt_ids(tokenizer, messages):
    return tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt")["input_ids"][0]
