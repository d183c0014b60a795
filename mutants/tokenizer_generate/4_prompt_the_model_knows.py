"""Experiments on "Hello world", a line the model learned by heart, instead of the given prompt."""

import torch


def pipeline_samples_by_default(generator, prompt):
    texts = set()
    for seed in range(5):
        torch.manual_seed(seed)
        texts.add(generator("Hello world", max_new_tokens=20)[0]["generated_text"])
    return len(texts) > 1
