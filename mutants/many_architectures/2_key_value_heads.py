"""Reports num_key_value_heads for the attention heads, which differ in a grouped-query model."""

from transformers import AutoConfig


def model_sizes(model_dir):
    config = AutoConfig.from_pretrained(model_dir)
    heads = getattr(config, "num_key_value_heads", config.num_attention_heads)
    return {
        "hidden_size": config.hidden_size,
        "num_hidden_layers": config.num_hidden_layers,
        "num_attention_heads": heads,
        "vocab_size": config.vocab_size,
    }
