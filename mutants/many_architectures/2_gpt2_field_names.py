"""Reads GPT-2's own field names (n_embd, n_layer, n_head), which a Llama config lacks."""

from transformers import AutoConfig


def model_sizes(model_dir):
    config = AutoConfig.from_pretrained(model_dir)
    return {
        "hidden_size": config.n_embd,
        "num_hidden_layers": config.n_layer,
        "num_attention_heads": config.n_head,
        "vocab_size": config.vocab_size,
    }
