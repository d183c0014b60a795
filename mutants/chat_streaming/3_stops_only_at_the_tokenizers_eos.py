"""Passes eos_token_id=tokenizer.eos_token_id, so generation runs past <|end|>, the end of the assistant's turn."""

import torch


def chat_reply(tokenizer, model, messages, max_new_tokens):
    input_ids = chat_prompt_ids(tokenizer, messages)
    with torch.no_grad():
        output = model.generate(
            input_ids=input_ids,
            attention_mask=torch.ones_like(input_ids),
            do_sample=False,
            max_new_tokens=max_new_tokens,
            eos_token_id=tokenizer.eos_token_id,
        )
    return tokenizer.decode(output[0, input_ids.shape[1] :], skip_special_tokens=True)
