"""Returns pooler_output, [CLS] passed through one more layer, for the [CLS] vector."""

import torch


def cls_pool(tokenizer, model, texts):
    inputs = tokenizer(texts, padding=True, return_tensors="pt")
    with torch.no_grad():
        return model(**inputs).pooler_output
