"""Kata 13 - configs and persistence: AutoConfig, from_config, save_pretrained.

After this kata you can read a model's sizes from its config without loading its weights, build
the same architecture with fresh random weights (where training from scratch starts), save a
model and its tokenizer to a folder and load them back unchanged, and pick the Auto class that
a task needs.

A model folder holds `config.json` (the architecture: sizes, layers, vocabulary size) beside the
weights (`model.safetensors`) and the tokenizer's files. `from_pretrained` reads the config and
the weights; `from_config` builds a model from a config alone.

Docs: https://huggingface.co/docs/transformers/main_classes/configuration

Tasks:
  1. features_shape  - the shape of AutoModel's last hidden state, read from the config alone.
  2. fresh_model     - the saved architecture, with fresh random weights.
  3. save_and_reload - save a tokenizer and a model to a folder, and load both back.
  4. auto_class_for  - the Auto class that loads a model for a pipeline task.
"""

from transformers import (  # noqa: F401  (you will need them)
    AutoConfig,
    AutoModel,
    AutoModelForCausalLM,
    AutoModelForImageClassification,
    AutoModelForMaskedLM,
    AutoModelForSequenceClassification,
    AutoModelForTokenClassification,
    AutoTokenizer,
)


def features_shape(model_dir, batch_size, num_tokens):
    """1. The shape of the last hidden state that `AutoModel` would give for a batch, from the config.

    Read it from the folder's `config.json` without loading any weights: the folder may hold
    nothing else. The same code must work for any architecture (BERT, GPT-2, ...).

    Args:
        model_dir: a model folder (with a config.json at least).
        batch_size: the number of texts in the batch.
        num_tokens: the number of tokens of each (padded) text.
    Returns:
        a tuple of three ints: (batch_size, num_tokens, the model's hidden size).
    Example:
        >>> features_shape(model_dir, 2, 7)
        (2, 7, 32)
    """
    # TODO: load the folder's config with the Auto class for configs and read its hidden size.
    raise NotImplementedError


def fresh_model(model_dir):
    """2. A bare model (no task head) with the architecture saved in `model_dir`, but new random weights.

    Returns:
        a model of the same class and the same parameter shapes as `AutoModel.from_pretrained(model_dir)`,
        whose weights are freshly initialised instead of the saved ones.
    Example:
        >>> model = fresh_model(model_dir)
        >>> model.config.hidden_size  # the saved architecture
        32
    """
    # TODO: load the config, then build the bare model from the config alone.
    raise NotImplementedError


def save_and_reload(tokenizer, model, folder):
    """3. Save `tokenizer` and `model` into `folder`, then load both back from it.

    The model's weights exist only in memory (as after training): the reloaded model must
    compute exactly what this one computes.

    Args:
        tokenizer: a tokenizer.
        model: a bare model (`AutoModel`).
        folder: the folder to save into (created if missing).
    Returns:
        a pair `(tokenizer, model)`, both loaded from `folder`: new objects, not the ones passed in.
    Example:
        >>> tokenizer2, model2 = save_and_reload(tokenizer, model, "my-model")
        >>> sorted(os.listdir("my-model"))
        ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json']
    """
    # TODO: save both into the folder, then load each back from it with its Auto class.
    raise NotImplementedError


def auto_class_for(task):
    """4. The Auto class that loads a model for the pipeline task `task`.

    Each task needs the bare model with the right head on top (or no head at all):
      "text-generation"       continue a text, token by token
      "feature-extraction"    the hidden states themselves
      "text-classification"   one label per text (sentiment, topic, ...)
      "token-classification"  one label per token (named entities, ...)
      "fill-mask"             the token behind [MASK]
      "image-classification"  one label per image

    Returns:
        the class itself (for example `AutoModel`), not its name.
    Example:
        >>> model = auto_class_for(task).from_pretrained(model_dir)
    """
    # TODO: map each task name to its Auto class.
    raise NotImplementedError
