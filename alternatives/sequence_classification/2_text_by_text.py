"""One text at a time, nothing padded, with torch.nn.functional.softmax; the rows stacked."""

import torch


def label_probabilities(tokenizer, model, texts):
    rows = []
    for text in texts:
        with torch.no_grad():
            logits = model(**tokenizer(text, return_tensors="pt")).logits[0]
        rows.append(torch.nn.functional.softmax(logits, dim=0))
    return torch.stack(rows)
