"""Every label's probability in a Python list, sorted by probability (highest first), the first k kept."""

import torch


def classify_top_k(image_processor, model, image, k):
    with torch.no_grad():
        logits = model(pixel_values=pixel_values(image_processor, image)).logits[0]
    probabilities = logits.softmax(dim=-1).tolist()
    ranked = sorted(range(len(probabilities)), key=lambda index: probabilities[index], reverse=True)
    return [{"label": model.config.id2label[index], "score": probabilities[index]} for index in ranked[:k]]
