"""Keeps the top k labels but lists them in label-id order, not most likely first."""

import torch


def classify_top_k(image_processor, model, image, k):
    with torch.no_grad():
        logits = model(pixel_values=pixel_values(image_processor, image)).logits
    probabilities = logits[0].softmax(dim=-1)
    indices = sorted(probabilities.topk(k).indices.tolist())
    return [{"label": model.config.id2label[index], "score": probabilities[index].item()} for index in indices]
