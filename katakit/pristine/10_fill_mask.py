"""Kata 10 - masked language modelling: fill in the blank, as BERT was trained to.

After this kata you can run a masked language model (`AutoModelForMaskedLM`) yourself: find where
the mask token is in a tokenized text, read the model's distribution over the vocabulary at that
position, list its top-k tokens with their probabilities as the `fill-mask` pipeline does, and
fill every blank of a text in. The same code runs on "bert-base-uncased", and on
"roberta-base", whose mask token is spelt "<mask>", not "[MASK]".

Docs: https://huggingface.co/docs/transformers/tasks/masked_language_modeling

Tasks:
  1. mask_positions - where the mask tokens are in the tokenized text.
  2. top_k_fills    - the k most likely tokens for the mask, as the fill-mask pipeline gives them.
  3. fill_masks     - the text with every mask replaced by its most likely token.
"""

import torch  # noqa: F401


def mask_positions(tokenizer, text):
    """1. The positions of the mask tokens in `tokenizer(text)["input_ids"]`.

    Returns:
        a list of ints, in order; position 0 is the [CLS] the tokenizer puts first.
    Example:
        >>> mask_positions(tokenizer, f"Hello {tokenizer.mask_token}, this is a tiny language model.")
        [2]
    """
    # TODO: tokenize, and find where the ids equal the tokenizer's own mask token id.
    raise NotImplementedError


def top_k_fills(tokenizer, model, text, k):
    """2. What `pipeline("fill-mask")(text, top_k=k)` returns for a text with one mask, by hand.

    Returns:
        a list of k dicts, the most likely token first, each with the keys:
          "token": the token's id (an int); "token_str": the token decoded, `tokenizer.decode([id])`;
          "score": its probability at the mask (a float); "sequence": the text with the mask
          replaced by the token, decoded without special tokens.
    Example:
        >>> fills = top_k_fills(tokenizer, model, f"Hello {tokenizer.mask_token}, this is a tiny language model.", 2)
        >>> [fill["token_str"] for fill in fills], fills[0]["score"], fills[0]["sequence"]
        (['world', 'quick'], 0.87..., 'hello world, this is a tiny language model.')
    """
    # TODO: take the logits at the mask's position, turn them into probabilities, take the k largest, and
    #       describe each: its id, its text, its probability, and the text filled in with it.
    raise NotImplementedError


def fill_masks(tokenizer, model, text):
    """3. `text` with every mask replaced by the model's most likely token there, from one call of the model.

    Returns:
        a string: the filled-in ids decoded without special tokens.
    Example:
        >>> mask = tokenizer.mask_token
        >>> fill_masks(tokenizer, model, f"Hello {mask}, this is a {mask} language model.")
        'hello world, this is a tiny language model.'
    """
    # TODO: one call of the model; at every mask position put the most likely token, and decode.
    raise NotImplementedError
