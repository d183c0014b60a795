"""Reports the winning logit as the score instead of its softmax probability."""

import torch


def classify(image_processor, model, image):
    with torch.no_grad():
        logits = model(pixel_values=pixel_values(image_processor, image)).logits[0]
    best = logits.argmax().item()
    return {"label": model.config.id2label[best], "score": logits[best].item()}
