"""Kata 1 - pipeline: text generation in one call.

After this kata you can build a `text-generation` pipeline from a model folder and make it
generate greedily (the same text every time), with or without the prompt in its output.

A pipeline bundles three steps: the tokenizer turns text into token ids, the model's
`generate()` adds new ids, and the tokenizer decodes them back into text. The model here is a
tiny GPT-2-style model that this course trained on a few sentences; the same code runs on "gpt2".

Docs: https://huggingface.co/docs/transformers/main_classes/pipelines#transformers.TextGenerationPipeline

Tasks:
  1. build_generator - a text-generation pipeline for the model saved in a folder.
  2. continue_text   - the greedy continuation of a prompt, without the prompt.
  3. complete_text   - the prompt followed by its greedy continuation.
"""

from transformers import pipeline  # noqa: F401  (you will need it)


def build_generator(model_dir):
    """1. Build a text-generation pipeline for the model saved in `model_dir`.

    Args:
        model_dir: a folder written by `save_pretrained` (config, weights, tokenizer files).
    Returns:
        a `TextGenerationPipeline`.
    Example:
        >>> generator = build_generator(model_dir)
        >>> generator("Hello world", max_new_tokens=5)  # a list with one dict per result
    """
    # TODO: call `pipeline` with the task's name and the model folder.
    raise NotImplementedError


def continue_text(generator, prompt, max_new_tokens):
    """2. The greedy continuation of `prompt`: only the new text, without the prompt.

    Greedy decoding picks the most likely token at every step, so a prompt always gets the same
    continuation. Try calling the pipeline twice with no options first, on a prompt the model does
    not know (say "zq"; on "Hello world", a line it learned by heart, even sampling repeats itself):
    is that what it does?

    Args:
        generator: a text-generation pipeline.
        prompt: the text to continue.
        max_new_tokens: how many tokens to add at most.
    Returns:
        the continuation, a `str`.
    Example:
        >>> continue_text(generator, "Hello world", 12)
        ', this is a tiny language model.'
    """
    # TODO: call the generator with the options that make it greedy, stop it after max_new_tokens
    #       and leave the prompt out of its result; return the text of its first result.
    raise NotImplementedError


def complete_text(generator, prompt, max_new_tokens):
    """3. The prompt followed by its greedy continuation, as one string.

    Args:
        generator: a text-generation pipeline.
        prompt: the text to continue.
        max_new_tokens: how many tokens to add at most.
    Returns:
        the prompt and its continuation, a `str`.
    Example:
        >>> complete_text(generator, "Hello world", 12)
        'Hello world, this is a tiny language model.'
    """
    # TODO: as in task 2, but keep the prompt in the result.
    raise NotImplementedError
