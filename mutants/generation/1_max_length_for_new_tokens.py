"""Sets max_length=max_new_tokens, which counts the prompt's tokens too."""

from transformers import GenerationConfig


def sampling_config(max_new_tokens, top_k, top_p):
    return GenerationConfig(do_sample=True, max_length=max_new_tokens, top_k=top_k, top_p=top_p)
