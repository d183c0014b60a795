"""The sizes read from the config of the model loaded with AutoModelForCausalLM, in a loop over the names."""

from transformers import AutoModelForCausalLM


def model_sizes(model_dir):
    config = AutoModelForCausalLM.from_pretrained(model_dir).config
    sizes = {}
    for name in ("hidden_size", "num_hidden_layers", "num_attention_heads", "vocab_size"):
        sizes[name] = int(getattr(config, name))
    return sizes
