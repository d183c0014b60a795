"""Kata 15 - One API, many architectures: what the Auto classes are for.

After this kata you can write code that works on any causal language model, whatever its
architecture: the Auto classes read the folder's config (`model_type`, `architectures`) and build
the right class, and configs answer to the same attribute names (`hidden_size`,
`num_hidden_layers`) even where the architecture calls them something else (GPT-2's `n_embd`).

The tests run your functions on two tiny models of different architectures: a GPT-2-style one
and a Llama-style one. Code that names either class, or either one's own attribute names, fails
on the other.

Docs: https://huggingface.co/docs/transformers/model_doc/auto

Tasks:
  1. architecture        - the model class that AutoModelForCausalLM builds for a folder.
  2. model_sizes         - the sizes every config answers to, under their common names.
  3. greedy_continuation - load, generate greedily and decode the new text, on any architecture.
"""

from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer


def architecture(model_dir):
    """1. The name of the model class that `AutoModelForCausalLM` builds for `model_dir`.

    Returns:
        a `str`, e.g. 'GPT2LMHeadModel' for a GPT-2 folder or 'LlamaForCausalLM' for a Llama one.
    """
    return type(AutoModelForCausalLM.from_pretrained(model_dir)).__name__


def model_sizes(model_dir):
    """2. The sizes of the model in `model_dir`, read from its config under their common names.

    Returns:
        a dict with the keys 'hidden_size', 'num_hidden_layers', 'num_attention_heads' and
        'vocab_size', each an `int`.
    Example:
        >>> model_sizes(model_dir)
        {'hidden_size': 64, 'num_hidden_layers': 2, 'num_attention_heads': 4, 'vocab_size': 400}
    """
    config = AutoConfig.from_pretrained(model_dir)
    # Every config maps the common names onto its own (GPT-2: hidden_size -> n_embd).
    names = ("hidden_size", "num_hidden_layers", "num_attention_heads", "vocab_size")
    return {name: getattr(config, name) for name in names}


def greedy_continuation(model_dir, prompt, max_new_tokens):
    """3. The greedy continuation of `prompt` (the new text only), for a model of any architecture.

    Returns:
        a `str` without the prompt and without special tokens.
    Example:
        >>> greedy_continuation(model_dir, "Hello world", 12)
        ', this is a tiny language model.'
    """
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir)
    inputs = tokenizer(prompt, return_tensors="pt")
    outputs = model.generate(**inputs, do_sample=False, max_new_tokens=max_new_tokens)
    # Slice by token count, not by the prompt's characters: some tokenizers add a BOS token.
    new_tokens = outputs[0, inputs["input_ids"].shape[1] :]
    return tokenizer.decode(new_tokens, skip_special_tokens=True)
