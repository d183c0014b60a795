"""Seeds every call with the same value, so even a sampling pipeline repeats itself."""

import torch


def pipeline_samples_by_default(generator, prompt):
    texts = set()
    for _ in range(5):
        torch.manual_seed(0)
        texts.add(generator(prompt, max_new_tokens=20)[0]["generated_text"])
    return len(texts) > 1
