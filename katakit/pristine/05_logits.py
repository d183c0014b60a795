"""Kata 5 - logits and the next token: what `generate()` and the loss are made of.

After this kata you can call a causal language model yourself and read its logits: a score for
every token of the vocabulary at every position. You will turn the last position's scores into
the next-token distribution and its top-k tokens, write the greedy decoding loop that
`generate(do_sample=False)` runs, and measure how well the model predicts a text (its
log-likelihood and perplexity), the number the model's own `loss` stands for.

The tests run your functions on the course's tiny GPT-2-style and Llama-style models; the same code
runs on "gpt2" and on Llama 3.

Docs: https://huggingface.co/docs/transformers/perplexity

Tasks:
  1. compute_logits                - the logits of a text: one score per vocabulary token per position.
  2. next_token_top_k              - the next-token probabilities and the k most likely tokens.
  3. greedy_decode                 - a greedy decoding loop of your own, equal to generate().
  4. log_likelihood_and_perplexity - how likely the model finds a text.
"""

import math  # noqa: F401

import torch  # noqa: F401


def compute_logits(tokenizer, model, text):
    """1. The logits the model gives for `text`.

    Returns:
        a tensor of shape (1, number of tokens, model.config.vocab_size): at each position, a
        score for every token of the vocabulary being the *next* token.
    Example:
        >>> compute_logits(tokenizer, model, "Hello world").shape
        torch.Size([1, 3, 400])
    """
    # TODO: tokenize into tensors, call the model (no generate), and return the logits of its output.
    raise NotImplementedError


def next_token_top_k(tokenizer, model, text, k):
    """2. The model's distribution over the token that follows `text`, and its k most likely tokens.

    Returns:
        a pair `(probabilities, top_ids)`: `probabilities` a tensor of shape
        (model.config.vocab_size,) that sums to 1, `top_ids` a list of the k token ids with the
        highest probability, the most likely first.
    Example:
        >>> probabilities, top_ids = next_token_top_k(tokenizer, model, "Hello world", 3)
        >>> tokenizer.convert_ids_to_tokens(top_ids)
        [',', 'Ġone', 'ld']
    """
    # TODO: take the logits of the position that predicts the next token, turn them into probabilities,
    #       and find the k largest.
    raise NotImplementedError


def greedy_decode(tokenizer, model, prompt, max_new_tokens):
    """3. Greedy decoding by hand: add the most likely next token, one at a time.

    Do not call `model.generate`: call the model, pick the next token, append it, repeat. Stop
    after `max_new_tokens` new tokens, or right after the model picks an end token, as `generate()`
    does: `model.generation_config.eos_token_id` is one id, or a list of ids where the model can
    end in more than one way (a Llama 3 chat model ends a text or a turn).

    Returns:
        a tensor of ids of shape (1, prompt tokens + new tokens), equal to
        `model.generate(**inputs, do_sample=False, max_new_tokens=max_new_tokens)`.
    Example:
        >>> tokenizer.decode(greedy_decode(tokenizer, model, "Hello world", 16)[0])
        'Hello world, this is a tiny language model.<|endoftext|>'
    """
    # TODO: loop: call the model on the ids so far, append the most likely next token, stop as generate() does.
    raise NotImplementedError


def log_likelihood_and_perplexity(tokenizer, model, text):
    """4. How likely the model finds `text`, computed from its logits (not from its `loss`).

    Every token after the first is predicted by the logits of the position before it. The
    log-likelihood is the sum of the log-probabilities of those tokens; the perplexity is
    exp(-mean log-probability): the model's `loss` with `labels=input_ids`, exponentiated.

    Returns:
        a pair of floats `(log_likelihood, perplexity)`.
    Example:
        >>> log_likelihood_and_perplexity(tokenizer, model, "Hello world, this is a tiny language model.")
        (-0.11..., 1.008...)
        >>> log_likelihood_and_perplexity(tokenizer, model, "The lazy fox is quick.")  # a line it never saw
        (-36.7..., 99.4...)
    """
    # TODO: get the logits, line each position up with the token it predicts, and add up the log-probabilities.
    raise NotImplementedError
