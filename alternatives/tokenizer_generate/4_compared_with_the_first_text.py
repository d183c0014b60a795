"""Generates under seeds 10 to 15 and compares every text with the first one."""

import torch


def pipeline_samples_by_default(generator, prompt):
    texts = []
    for seed in range(10, 16):
        torch.manual_seed(seed)
        texts.append(generator(prompt, max_new_tokens=20)[0]["generated_text"])
    return any(text != texts[0] for text in texts)
