"""The hidden size read from the config's text part (get_text_config), the shape built as a tuple of a list."""

from transformers import AutoConfig


def features_shape(model_dir, batch_size, num_tokens):
    text_config = AutoConfig.from_pretrained(str(model_dir)).get_text_config()
    return tuple([batch_size, num_tokens, text_config.hidden_size])
