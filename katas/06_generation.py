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

import torch  # noqa: F401  (task 2 needs torch.manual_seed)
from transformers import GenerationConfig  # noqa: F401


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
    # TODO: build a GenerationConfig; which option makes generate() sample at all?
    raise NotImplementedError


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
    # TODO: seed torch, then generate with the config, asking for a dict output that holds the scores.
    raise NotImplementedError


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
    # TODO: generate greedily, keep the new ids only, and look for the end-of-sequence token among them.
    raise NotImplementedError


def generate_batch(tokenizer, model, prompts, max_new_tokens):
    """4. The greedy continuations of several prompts, generated as one padded batch.

    Each continuation must be the same as if its prompt were generated alone.

    Returns:
        a list with the new text of each prompt, in order, without special tokens.
    Example:
        >>> generate_batch(tokenizer, model, ["Hello world", "The quick brown"], 4)
        [', this is', ' fox jumps']
    """
    # TODO: give the tokenizer a padding token and the padding side a decoder needs, tokenize the batch
    #       with padding, generate greedily, and decode the new ids of every row.
    raise NotImplementedError
