"""An empty GenerationConfig whose options are set one by one afterwards."""

from transformers import GenerationConfig


def sampling_config(max_new_tokens, top_k, top_p):
    config = GenerationConfig()
    config.top_p = top_p
    config.top_k = top_k
    config.max_new_tokens = max_new_tokens
    config.do_sample = True
    return config
