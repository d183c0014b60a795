"""Takes the k smallest probabilities (ascending argsort) instead of the k largest."""

import torch


def classify_top_k(image_processor, model, image, k):
    with torch.no_grad():
        logits = model(pixel_values=pixel_values(image_processor, image)).logits
    probabilities = logits[0].softmax(dim=-1)
    indices = probabilities.argsort()[:k].tolist()
    return [{"label": model.config.id2label[index], "score": probabilities[index].item()} for index in indices]
