"""Kata 3 - AutoModel: hidden states as features.

After this kata you can load a bare encoder (no task head) with `AutoModel`, run it on one text
or on a padded batch, and read its hidden states: the vectors that sentence embeddings,
classifiers and similarity search are built from. You will check their shape against the
model's config: (batch, sequence length, `config.hidden_size`).

The model here is a tiny BERT-style encoder built by this course; the same code runs on
"bert-base-uncased".

Docs: https://huggingface.co/docs/transformers/model_doc/auto#transformers.AutoModel

Tasks:
  1. load_encoder      - the tokenizer and the bare encoder from one folder.
  2. embed_text        - the last hidden state of one text.
  3. embed_batch       - the last hidden state of a batch of texts of different lengths.
  4. all_hidden_states - the hidden states of every layer, embeddings first.
"""

import torch  # noqa: F401
from transformers import AutoModel, AutoTokenizer  # noqa: F401


def load_encoder(model_dir):
    """1. Load the tokenizer and the bare encoder (no task head) saved in `model_dir`.

    Returns:
        a pair `(tokenizer, model)`.
    Example:
        >>> tokenizer, model = load_encoder(model_dir)
    """
    # TODO: load both with the Auto classes that fit.
    raise NotImplementedError


def embed_text(tokenizer, model, text):
    """2. The last hidden state of `text`: one vector per token, [CLS] and [SEP] included.

    Returns:
        a tensor of shape (1, number of tokens, model.config.hidden_size).
    Example:
        >>> embed_text(tokenizer, model, "Hugging Face is amazing!").shape
        torch.Size([1, 10, 32])
    """
    # TODO: tokenize into tensors, call the model, return the right field of its output.
    raise NotImplementedError


def embed_batch(tokenizer, model, texts):
    """3. The last hidden state of a list of texts of different lengths, as one tensor.

    Shorter texts are padded to the longest one; each text's vectors must be the same as if it
    were alone, so the model has to know which positions are padding.

    Returns:
        a tensor of shape (len(texts), longest number of tokens, model.config.hidden_size).
    Example:
        >>> embed_batch(tokenizer, model, ["short", "a longer text"]).shape
        torch.Size([2, 5, 32])
    """
    # TODO: tokenize the batch with padding, pass the attention mask, return the last hidden state.
    raise NotImplementedError


def all_hidden_states(tokenizer, model, text):
    """4. The hidden states of `text` after the embeddings and after every layer.

    Returns:
        a tuple of `model.config.num_hidden_layers + 1` tensors, each (1, number of tokens,
        hidden_size): the embeddings' output first, the last layer's output (the last hidden
        state) last.
    """
    # TODO: ask the model for its hidden states when you call it.
    raise NotImplementedError
