"""Tokenizes the rendered prompt text, so the model gets <|begin_of_text|> twice."""

import torch


def chat_reply(tokenizer, model, messages, max_new_tokens):
    inputs = tokenizer(chat_prompt(tokenizer, messages), return_tensors="pt")
    with torch.no_grad():
        output = model.generate(**inputs, do_sample=False, max_new_tokens=max_new_tokens)
    return tokenizer.decode(output[0, inputs["input_ids"].shape[1] :], skip_special_tokens=True)
