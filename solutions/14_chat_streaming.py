"""Kata 14 - chat templates and streaming: talk to a chat model, and show its reply as it is written.

After this kata you can turn a conversation (a list of messages with a role and a content) into
the prompt a chat model was trained on, with the tokenizer's own chat template; generate the
model's reply to it and keep only the new text; and stream that reply chunk by chunk with a
`TextIteratorStreamer`, the way a chat interface prints it while the model is still generating.

A chat template is a small Jinja program stored with the tokenizer: every model family marks
roles and turns with its own special tokens, so never write the format by hand.
The model here is the course's tiny Llama-style chat model; the same code runs on
"meta-llama/Llama-3.2-1B-Instruct".

Docs: https://huggingface.co/docs/transformers/chat_templating

Tasks:
  1. chat_prompt     - the conversation rendered as the prompt text, ready for the assistant's turn.
  2. chat_prompt_ids - the same prompt as token ids, in a tensor.
  3. chat_reply      - the model's greedy reply: the new text only.
  4. stream_reply    - the same reply, streamed in chunks while generate() runs in a thread.
"""

from threading import Thread

import torch
from transformers import TextIteratorStreamer


def chat_prompt(tokenizer, messages):
    """1. The prompt text for `messages`, rendered by the tokenizer's chat template, ending with what opens
    the assistant's turn (so that the model's next words are its reply).

    Args:
        tokenizer: a tokenizer with a chat template.
        messages: a list of dicts {"role": "user" or "assistant" (or "system"), "content": text}.
    Returns:
        a string.
    Example:
        >>> chat_prompt(tokenizer, [{"role": "user", "content": "Hi"}])
        '<|begin_of_text|><|user|>\\nHi<|end|>\\n<|assistant|>\\n'
    """
    # Without the generation prompt the model would have to write the assistant's opening itself.
    return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)


def chat_prompt_ids(tokenizer, messages):
    """2. The token ids of the prompt of task 1, as the model takes them.

    In transformers 5.x, `apply_chat_template(..., return_tensors="pt")` tokenizes by default and
    returns a BatchEncoding (a dict of `input_ids` and `attention_mask`), not a tensor of ids.

    Returns:
        a tensor of ids of shape (1, number of tokens).
    Example:
        >>> tokenizer.convert_ids_to_tokens(chat_prompt_ids(tokenizer, [{"role": "user", "content": "Hi"}])[0])
        ['<|begin_of_text|>', '<|user|>', 'Ċ', 'Hi', '<|end|>', 'Ċ', '<|assistant|>', 'Ċ']
    """
    # Not tokenizer(chat_prompt(...)): the template already holds <|begin_of_text|>, the tokenizer would add another.
    return tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt")["input_ids"]


def chat_reply(tokenizer, model, messages, max_new_tokens):
    """3. The model's greedy reply to `messages`: the new text only, without special tokens.

    Returns:
        a string: what `generate(do_sample=False, max_new_tokens=max_new_tokens)` adds after the
        prompt, decoded without the end-of-turn token.
    Example:
        >>> chat_reply(tokenizer, model, [{"role": "user", "content": "Who are you?"}], 40)
        'Hello world, this is a tiny language model.'
    """
    input_ids = chat_prompt_ids(tokenizer, messages)
    with torch.no_grad():
        output = model.generate(
            input_ids=input_ids,
            attention_mask=torch.ones_like(input_ids),
            do_sample=False,
            max_new_tokens=max_new_tokens,
        )
    # generate() returns the prompt's ids first; the reply is what follows, its <|end|> left out.
    return tokenizer.decode(output[0, input_ids.shape[1] :], skip_special_tokens=True)


def stream_reply(tokenizer, model, messages, max_new_tokens):
    """4. The reply of task 3, streamed: the chunks of text a `TextIteratorStreamer` hands out while
    `generate()` runs in another thread.

    `generate(..., streamer=streamer)` puts each new piece of text into the streamer; iterating
    over the streamer waits for the next piece. Join the thread before you return.

    Returns:
        a list of strings, in order, that join into exactly `chat_reply(...)`.
    Example:
        >>> stream_reply(tokenizer, model, [{"role": "user", "content": "Who are you?"}], 40)
        ['Hel', 'lo', ' ', 'wor', 'ld', '', ', ', 'thi', 's', ...]
    """
    input_ids = chat_prompt_ids(tokenizer, messages)
    # skip_prompt: generate() hands the streamer the prompt's ids first; decode keyword arguments go through.
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
    chunks = list(streamer)  # each step blocks until generate() has put the next piece in
    generation.join()
    return chunks
