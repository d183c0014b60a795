"""Reads the streamer in a for loop while generate() runs in a daemon thread started with args."""

from threading import Thread

import torch
from transformers import TextIteratorStreamer


def stream_reply(tokenizer, model, messages, max_new_tokens):
    input_ids = chat_prompt_ids(tokenizer, messages)
    streamer = TextIteratorStreamer(tokenizer, skip_prompt=True, skip_special_tokens=True)
    options = {
        "attention_mask": torch.ones_like(input_ids),
        "do_sample": False,
        "max_new_tokens": max_new_tokens,
        "streamer": streamer,
    }
    thread = Thread(target=lambda: model.generate(input_ids, **options), daemon=True)
    thread.start()
    chunks = []
    for chunk in streamer:
        chunks.append(chunk)
    thread.join()
    return chunks
