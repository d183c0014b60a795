"""Returns the label id from the argmax as the label, without naming it through id2label."""

import torch


def classify(image_processor, model, image):
    with torch.no_grad():
        logits = model(pixel_values=pixel_values(image_processor, image)).logits
    probabilities = logits[0].softmax(dim=-1)
    best = probabilities.argmax().item()
    return {"label": best, "score": probabilities[best].item()}
