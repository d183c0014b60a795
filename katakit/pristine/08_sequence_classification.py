"""Kata 8 - AutoModelForSequenceClassification: from logits to a label.

After this kata you can load a sentence classifier, turn its logits into probabilities with a
softmax over the labels, and name the winning label with the model's own `id2label`: exactly
what the `text-classification` pipeline does for you.

The model here is a tiny BERT-style sentiment classifier that this course trained on obvious
sentences; the same code runs on "distilbert-base-uncased-finetuned-sst-2-english".

Docs: https://huggingface.co/docs/transformers/tasks/sequence_classification

Tasks:
  1. load_classifier     - the tokenizer and the classifier from one folder.
  2. label_probabilities - one probability per label, for each text of a batch.
  3. classify            - the winning label's name and its probability, like the pipeline.
"""

import torch  # noqa: F401
from transformers import AutoModelForSequenceClassification, AutoTokenizer  # noqa: F401


def load_classifier(model_dir):
    """1. Load the tokenizer and the sequence classifier saved in `model_dir`.

    Returns:
        a pair `(tokenizer, model)`; the model ends in a classification head.
    Example:
        >>> tokenizer, model = load_classifier(model_dir)
        >>> model.config.id2label
        {0: 'NEGATIVE', 1: 'POSITIVE'}
    """
    # TODO: load both with the Auto classes that fit.
    raise NotImplementedError


def label_probabilities(tokenizer, model, texts):
    """2. The probability of each label for each text.

    Args:
        texts: a list of texts, of different lengths.
    Returns:
        a tensor of shape (len(texts), model.config.num_labels) whose rows sum to 1.
    Example:
        >>> label_probabilities(tokenizer, model, ["I love it", "this is terrible"])
        tensor([[0.0300, 0.9700],
                [0.9800, 0.0200]])
    """
    # TODO: tokenize the padded batch, call the model, turn its logits into probabilities.
    raise NotImplementedError


def classify(tokenizer, model, text):
    """3. The most likely label of `text` and its probability, as the text-classification pipeline gives them.

    Returns:
        a pair `(label, score)`: the label's name (a `str`) and its probability (a `float`).
    Example:
        >>> classify(tokenizer, model, "I love this movie")
        ('POSITIVE', 0.97)
    """
    # TODO: find the most likely label, then its name in the model's config.
    raise NotImplementedError
