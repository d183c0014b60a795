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

from transformers import pipeline


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
    return pipeline("feature-extraction", model=model_dir)


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
    # return_tensors=True keeps the model's tensor; torch.tensor(extractor(text)) would convert the lists.
    return extractor(text, return_tensors=True)


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
    # A list in, a list out. Each text runs alone (batch_size=1 by default), so none is padded;
    # batch_size=len(texts) would pad every text to the longest one.
    return extractor(texts, return_tensors=True)


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
    # base_model is the bare model under the head (a bare model's base_model is the model itself):
    # its first output is last_hidden_state, where the head's would be logits.
    extractor = pipeline("feature-extraction", model=model.base_model, tokenizer=tokenizer)
    return extractor(text, return_tensors=True)
