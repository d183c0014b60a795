"""Appends the streamed reply to the caller's conversation inside the function, as a chat loop would."""

from threading import Thread

import torch
from transformers import TextIteratorStreamer


def stream_reply(tokenizer, model, messages, max_new_tokens):
    input_ids = chat_prompt_ids(tokenizer, messages)
    streamer = TextIteratorStreamer(tokenizer, skip_prompt=True, skip_special_tokens=True)
    generation = Thread(
        target=model.generate,
        kwargs=dict(
            input_ids=input_ids,
            attention_mask=torch.ones_like(input_ids),
            do_sample=False,
            max_new_tokens=max_new_tokens,
            streamer=streamer,
        ),
    )
    generation.start()
    chunks = list(streamer)
    generation.join()
    messages.append({"role": "assistant", "content": "".join(chunks)})
    return chunks
