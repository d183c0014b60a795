"""torch.max of the softmax gives the probability and the id together; logits from the model directly."""

import torch


def classify(tokenizer, model, text):
    with torch.no_grad():
        logits = model(**tokenizer(text, return_tensors="pt")).logits
    score, best = torch.max(torch.nn.functional.softmax(logits, dim=-1), dim=-1)
    return model.config.id2label[best.item()], score.item()
