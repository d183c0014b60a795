"""Appends the reply to the caller's conversation, as a chat loop would, but inside the function."""

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
    reply = tokenizer.decode(output[0, input_ids.shape[1] :], skip_special_tokens=True)
    messages.append({"role": "assistant", "content": reply})
    return reply
