"""Leaves do_sample=False out, so the chat model's generation_config (which samples) decides."""

import torch


def chat_reply(tokenizer, model, messages, max_new_tokens):
    input_ids = chat_prompt_ids(tokenizer, messages)
    with torch.no_grad():
        output = model.generate(
            input_ids=input_ids, attention_mask=torch.ones_like(input_ids), max_new_tokens=max_new_tokens
        )
    return tokenizer.decode(output[0, input_ids.shape[1] :], skip_special_tokens=True)
