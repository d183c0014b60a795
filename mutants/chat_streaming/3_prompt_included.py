"""Decodes the whole output, so the reply starts with the prompt."""

import torch


def chat_reply(tokenizer, model, messages, max_new_tokens):
    input_ids = chat_prompt_ids(tokenizer, messages)
    with torch.no_grad():
        output = model.generate(
            input_ids=input_ids,
            attention_mask=torch.ones_like(input_ids),
            do_sample=False,
            max_new_tokens=max_new_tokens,
        )
    return tokenizer.decode(output[0], skip_special_tokens=True)
