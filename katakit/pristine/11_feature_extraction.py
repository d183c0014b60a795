"""Kata 11 - the feature-extraction pipeline: hidden states in one call.

After this kata you can get the features of a text (an encoder's last hidden state, one vector
per token) from a `feature-extraction` pipeline, as a tensor, for one text or for a batch, and
you know what that pipeline returns when the model has a task head on top.

The pipeline tokenizes the text, runs the model and returns the model's *first output*. For a
bare encoder (`AutoModel`) that is `last_hidden_state`: the vectors kata 3 computed by hand.

Docs: https://huggingface.co/docs/transformers/main_classes/pipelines#transformers.FeatureExtractionPipeline

Tasks:
  1. build_extractor   - a feature-extraction pipeline for the model saved in a folder.
  2. text_features     - the features of one text, as a tensor.
  3. batch_features    - the features of several texts, one tensor per text.
  4. backbone_features - the features from a loaded model that may have a task head.
"""

import torch  # noqa: F401
from transformers import pipeline  # noqa: F401  (you will need it)


def build_extractor(model_dir):
    """1. Build a feature-extraction pipeline for the model saved in `model_dir`.

    Args:
        model_dir: a folder written by `save_pretrained` (config, weights, tokenizer files).
    Returns:
        a `FeatureExtractionPipeline`.
    Example:
        >>> extractor = build_extractor(model_dir)
        >>> extractor("Hello world")  # nested lists of floats: [[[0.41, -1.2, ...], ...]]
    """
    # TODO: call `pipeline` with the task's name and the model folder.
    raise NotImplementedError


def text_features(extractor, text):
    """2. The features of `text` as a tensor: one vector per token, [CLS] and [SEP] included.

    Called as it is, the pipeline returns nested Python lists (text, token, hidden unit).

    Args:
        extractor: a feature-extraction pipeline.
        text: one string.
    Returns:
        a float tensor of shape (1, number of tokens, hidden_size): the model's `last_hidden_state`.
    Example:
        >>> text_features(extractor, "Hello world").shape
        torch.Size([1, 4, 32])
    """
    # TODO: call the extractor and return its result as a tensor (convert it, or ask the pipeline for one).
    raise NotImplementedError


def batch_features(extractor, texts):
    """3. The features of every text of `texts`, each exactly as if that text were alone.

    Args:
        extractor: a feature-extraction pipeline.
        texts: a list of strings of different lengths.
    Returns:
        a list with one tensor per text, in order, each of shape (1, that text's number of
        tokens, hidden_size): no padding.
    Example:
        >>> [features.shape for features in batch_features(extractor, ["Hello", "Hello world"])]
        [torch.Size([1, 3, 32]), torch.Size([1, 4, 32])]
    """
    # TODO: give the extractor the whole list; return one tensor per text.
    raise NotImplementedError


def backbone_features(tokenizer, model, text):
    """4. The features (last hidden state) of `text`, through a feature-extraction pipeline
    built on `model`, also when `model` has a task head.

    A pipeline built on a model *object* uses that model as it is, and returns its first output:
    for a model with a head (a causal LM, a classifier) that is the head's logits, not hidden
    states. Every model with a head keeps the bare model it is built on.

    Args:
        tokenizer: the model's tokenizer.
        model: a model loaded with `from_pretrained`: a bare `AutoModel` or one with a task head,
            such as an `AutoModelForCausalLM`.
    Returns:
        a float tensor of shape (1, number of tokens, model.config.hidden_size).
    Example:
        >>> backbone_features(tokenizer, causal_lm, "Hello world").shape
        torch.Size([1, 3, 64])
    """
    # TODO: build a feature-extraction pipeline on the bare model beneath the head, with the tokenizer.
    raise NotImplementedError
