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

import math

import torch


def compute_logits(tokenizer, model, text):
    """1. The logits the model gives for `text`.

    Returns:
        a tensor of shape (1, number of tokens, model.config.vocab_size): at each position, a
        score for every token of the vocabulary being the *next* token.
    Example:
        >>> compute_logits(tokenizer, model, "Hello world").shape
        torch.Size([1, 3, 400])
    """
    inputs = tokenizer(text, return_tensors="pt")
    with torch.no_grad():  # no training here: the graph for gradients would only cost memory
        return model(**inputs).logits


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
    logits = compute_logits(tokenizer, model, text)
    # The last position predicts what comes after the text; softmax over the vocabulary, not the positions.
    probabilities = logits[0, -1].softmax(dim=-1)
    return probabilities, torch.topk(probabilities, k).indices.tolist()


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
    ids = tokenizer(prompt, return_tensors="pt")["input_ids"]
    eos = model.generation_config.eos_token_id
    # One id or a list of them: comparing with the list itself would never stop on a Llama 3 model.
    end_ids = set() if eos is None else {eos} if isinstance(eos, int) else set(eos)
    with torch.no_grad():
        for _ in range(max_new_tokens):
            next_id = model(input_ids=ids).logits[0, -1].argmax()
            ids = torch.cat([ids, next_id.view(1, 1)], dim=1)
            if next_id.item() in end_ids:  # generate() keeps the end token, then stops
                break
    return ids


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
    ids = tokenizer(text, return_tensors="pt")["input_ids"][0]
    logits = compute_logits(tokenizer, model, text)[0]
    # Position i predicts token i + 1: drop the last position's logits and the first token to line them up.
    log_probabilities = logits[:-1].log_softmax(dim=-1)
    token_log_probabilities = log_probabilities.gather(1, ids[1:].unsqueeze(1))
    return token_log_probabilities.sum().item(), math.exp(-token_log_probabilities.mean().item())
