"""Sets top_k and top_p but not do_sample=True, so generation stays greedy."""

from transformers import GenerationConfig


def sampling_config(max_new_tokens, top_k, top_p):
    return GenerationConfig(max_new_tokens=max_new_tokens, top_k=top_k, top_p=top_p)
