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

import torch


def mask_positions(tokenizer, text):
    """1. The positions of the mask tokens in `tokenizer(text)["input_ids"]`.

    Returns:
        a list of ints, in order; position 0 is the [CLS] the tokenizer puts first.
    Example:
        >>> mask_positions(tokenizer, f"Hello {tokenizer.mask_token}, this is a tiny language model.")
        [2]
    """
    input_ids = tokenizer(text, return_tensors="pt")["input_ids"][0]
    # Compare ids, not strings: the tokenizer knows its own mask token, "[MASK]" or "<mask>".
    return torch.nonzero(input_ids == tokenizer.mask_token_id).flatten().tolist()


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
    inputs = tokenizer(text, return_tensors="pt")
    (position,) = mask_positions(tokenizer, text)
    with torch.no_grad():
        # The mask's own row of logits; the softmax runs over the vocabulary, its last dimension.
        probabilities = model(**inputs).logits[0, position].softmax(dim=-1)
    scores, token_ids = probabilities.topk(k)  # largest first
    fills = []
    for score, token_id in zip(scores.tolist(), token_ids.tolist(), strict=True):
        filled = inputs["input_ids"][0].clone()
        filled[position] = token_id
        fills.append(
            {
                "token": token_id,
                "token_str": tokenizer.decode([token_id]),
                "score": score,
                "sequence": tokenizer.decode(filled, skip_special_tokens=True),
            }
        )  # no [CLS] or [SEP]
    return fills


def fill_masks(tokenizer, model, text):
    """3. `text` with every mask replaced by the model's most likely token there, from one call of the model.

    Returns:
        a string: the filled-in ids decoded without special tokens.
    Example:
        >>> mask = tokenizer.mask_token
        >>> fill_masks(tokenizer, model, f"Hello {mask}, this is a {mask} language model.")
        'hello world, this is a tiny language model.'
    """
    inputs = tokenizer(text, return_tensors="pt")
    positions = mask_positions(tokenizer, text)
    with torch.no_grad():
        logits = model(**inputs).logits[0]
    filled = inputs["input_ids"][0].clone()
    # Each mask is predicted from the others still masked: one pass fills them all at once.
    filled[positions] = logits[positions].argmax(dim=-1)
    return tokenizer.decode(filled, skip_special_tokens=True)
