"""Reads config.n_embd, GPT-2's own name for the hidden size, which other configs lack."""

from transformers import AutoConfig


def features_shape(model_dir, batch_size, num_tokens):
    return (batch_size, num_tokens, AutoConfig.from_pretrained(model_dir).n_embd)
