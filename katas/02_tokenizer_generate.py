"""Kata 2 - AutoTokenizer + AutoModelForCausalLM: what the pipeline does, by hand.

After this kata you can load a tokenizer and a causal language model yourself, turn a prompt
into tensors, call `generate()` and decode the result: the three steps a text-generation
pipeline hides, each now under your control. You will also find out, by experiment, what the
pipeline does when you give it no generation options at all.

Docs: https://huggingface.co/docs/transformers/main_classes/text_generation

Tasks:
  1. load_tokenizer_and_model    - both from one model folder.
  2. encode_prompt               - a prompt as PyTorch tensors.
  3. generate_text               - greedy generate + decode, prompt included, like the pipeline.
  4. pipeline_samples_by_default - does a pipeline called with no options sample?
"""

import torch  # noqa: F401  (task 4 needs torch.manual_seed)
from transformers import AutoModelForCausalLM, AutoTokenizer  # noqa: F401


def load_tokenizer_and_model(model_dir):
    """1. Load the tokenizer and the causal language model saved in `model_dir`.

    Returns:
        a pair `(tokenizer, model)`; the model has a language-modelling head (it predicts tokens).
    Example:
        >>> tokenizer, model = load_tokenizer_and_model(model_dir)
    """
    # TODO: load each with the Auto class that fits and its `from_pretrained`.
    raise NotImplementedError


def encode_prompt(tokenizer, prompt):
    """2. Tokenize `prompt` into PyTorch tensors the model can take.

    Returns:
        the tokenizer's output (a `BatchEncoding`), whose `input_ids` and `attention_mask`
        are tensors of shape (1, number of tokens).
    Example:
        >>> encode_prompt(tokenizer, "Hello world")["input_ids"].shape
        torch.Size([1, 2])
    """
    # TODO: call the tokenizer and ask for PyTorch tensors.
    raise NotImplementedError


def generate_text(tokenizer, model, prompt, max_new_tokens):
    """3. The prompt and its greedy continuation, exactly as a greedy pipeline would return it.

    Args:
        tokenizer, model: as loaded in task 1.
        prompt: the text to continue.
        max_new_tokens: how many tokens to add at most.
    Returns:
        a `str`: the prompt followed by the new text, without special tokens such as <|endoftext|>.
    Example:
        >>> generate_text(tokenizer, model, "Hello world", 12)
        'Hello world, this is a tiny language model.'
    """
    # TODO: encode the prompt, pass *all* of the encoding to `model.generate` (greedy, at most
    #       max_new_tokens new tokens), then decode the first sequence.
    raise NotImplementedError


def pipeline_samples_by_default(generator, prompt):
    """4. Find out by experiment whether `generator`, called with no generation options, samples.

    A pipeline that samples gives different texts under different random seeds; a greedy one
    always gives the same text. Call `generator(prompt, max_new_tokens=20)` under a few
    different `torch.manual_seed(...)` values and compare. The tests give you a `prompt` the
    model does not know well: on a line it learned by heart ("Hello world"), even sampling repeats
    itself, so try your experiment on such a prompt too.

    Returns:
        True if the outputs differ (the pipeline samples), False if they are all the same.
    """
    # TODO: generate under several seeds; return whether the texts differ.
    raise NotImplementedError
