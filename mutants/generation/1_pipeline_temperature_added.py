"""Adds temperature=0.7 "like the pipeline", which changes what sampling draws."""

from transformers import GenerationConfig


def sampling_config(max_new_tokens, top_k, top_p):
    return GenerationConfig(do_sample=True, max_new_tokens=max_new_tokens, top_k=top_k, top_p=top_p, temperature=0.7)
