"""Reports the winning logit as the score instead of its softmax probability."""

import torch


def classify(tokenizer, model, text):
    inputs = tokenizer(text, return_tensors="pt")
    with torch.no_grad():
        logits = model(**inputs).logits[0]
    best = int(logits.argmax())
    return model.config.id2label[best], float(logits[best])
