"""Runs generate() in the caller's thread, then reads the streamer once everything is generated."""

import torch
from transformers import TextIteratorStreamer


def stream_reply(tokenizer, model, messages, max_new_tokens):
    input_ids = chat_prompt_ids(tokenizer, messages)
    streamer = TextIteratorStreamer(tokenizer, skip_prompt=True, skip_special_tokens=True)
    model.generate(
        input_ids=input_ids,
        attention_mask=torch.ones_like(input_ids),
        do_sample=False,
        max_new_tokens=max_new_tokens,
        streamer=streamer,
    )
    return list(streamer)
