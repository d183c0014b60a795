"""Kata 6 - generation strategies: greedy or sampled, seeded, stopped, batched.

After this kata you can choose how `generate()` picks each new token: greedily, or by sampling
among the `top_k` most likely tokens and the `top_p` most probable mass, written down once in a
`GenerationConfig`. You can make sampling repeat itself with a seed, read the score of every
step, tell whether the model ended its text or `max_new_tokens` cut it off, and generate for a
batch of prompts at once, exactly as one prompt at a time.

Docs: https://huggingface.co/docs/transformers/main_classes/text_generation

Tasks:
  1. sampling_config   - a GenerationConfig that samples with top_k and top_p.
  2. sample            - seeded sampling that returns the scores of every step too.
  3. greedy_with_end   - the greedy continuation, and whether the model ended it itself.
  4. generate_batch    - greedy continuations of several prompts in one padded batch.
"""

import torch
from transformers import GenerationConfig


def sampling_config(max_new_tokens, top_k, top_p):
    """1. A `GenerationConfig` that samples at most `max_new_tokens` new tokens with `top_k` and `top_p`.

    Each step then draws a token at random from the `top_k` most likely ones, narrowed down to the
    most likely of those whose probabilities add up to `top_p`.

    Returns:
        a `GenerationConfig`, to pass as `model.generate(..., generation_config=config)`.
    Example:
        >>> sampling_config(max_new_tokens=8, top_k=5, top_p=0.9).top_k
        5
    """
    # Without do_sample=True, generate() is greedy and top_k/top_p are ignored.
    return GenerationConfig(do_sample=True, max_new_tokens=max_new_tokens, top_k=top_k, top_p=top_p)


def sample(tokenizer, model, prompt, generation_config, seed):
    """2. Sample a continuation of `prompt` with `generation_config`, the same for the same `seed`.

    Keep what `generate()` computed on the way: the scores of every step.

    Returns:
        what `model.generate` returns as a dict: its `sequences` (1, prompt and new tokens) and its
        `scores`, one tensor (1, vocabulary size) per new token.
    Example:
        >>> out = sample(tokenizer, model, "Hello", sampling_config(4, 5, 0.9), seed=0)
        >>> len(out.scores), out.scores[0].shape
        (4, torch.Size([1, 400]))
    """
    inputs = tokenizer(prompt, return_tensors="pt")
    # Sampling draws from torch's global generator: the same seed gives the same draws.
    torch.manual_seed(seed)
    return model.generate(
        **inputs, generation_config=generation_config, return_dict_in_generate=True, output_scores=True
    )


def greedy_with_end(tokenizer, model, prompt, max_new_tokens):
    """3. The greedy continuation of `prompt`, and why generation stopped.

    `generate()` stops at whichever comes first: an end-of-sequence token of the model, or
    `max_new_tokens` new tokens. A model may end in more than one way (a chat model ends a text
    or a turn): its generation config says which ids end generation.

    Returns:
        a pair `(new_text, ended)`: the new text only, without special tokens, and `True` (a bool)
        if the model generated an end-of-sequence token, `False` if `max_new_tokens` cut it off.
    Example:
        >>> greedy_with_end(tokenizer, model, "Hello world", 20)
        (', this is a tiny language model.', True)
        >>> greedy_with_end(tokenizer, model, "Hello world", 3)
        (', this', False)
    """
    inputs = tokenizer(prompt, return_tensors="pt")
    output = model.generate(**inputs, do_sample=False, max_new_tokens=max_new_tokens)
    new_ids = output[0, inputs["input_ids"].shape[1] :]
    # Counting new tokens cannot tell: the end-of-sequence token may be the last one allowed. The ids that end
    # generation are the generation config's, one or a list (a chat model ends at <|end|> too), not the tokenizer's.
    eos = model.generation_config.eos_token_id
    end_ids = set() if eos is None else {eos} if isinstance(eos, int) else set(eos)
    ended = any(token in end_ids for token in new_ids.tolist())
    return tokenizer.decode(new_ids, skip_special_tokens=True), ended


def generate_batch(tokenizer, model, prompts, max_new_tokens):
    """4. The greedy continuations of several prompts, generated as one padded batch.

    Each continuation must be the same as if its prompt were generated alone.

    Returns:
        a list with the new text of each prompt, in order, without special tokens.
    Example:
        >>> generate_batch(tokenizer, model, ["Hello world", "The quick brown"], 4)
        [', this is', ' fox jumps']
    """
    # GPT-2 has no padding token; end-of-text is the usual stand-in (the attention mask hides it).
    tokenizer.pad_token = tokenizer.eos_token
    # A decoder continues from the last position: padding must go on the left, before the prompt.
    tokenizer.padding_side = "left"
    inputs = tokenizer(prompts, padding=True, return_tensors="pt")
    output = model.generate(**inputs, do_sample=False, max_new_tokens=max_new_tokens)
    return tokenizer.batch_decode(output[:, inputs["input_ids"].shape[1] :], skip_special_tokens=True)
