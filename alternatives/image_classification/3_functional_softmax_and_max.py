"""torch.nn.functional.softmax and torch.max give the probability and the id together."""

import torch


def classify(image_processor, model, image):
    inputs = image_processor(image, return_tensors="pt")
    with torch.no_grad():
        logits = model(**inputs).logits
    score, best = torch.max(torch.nn.functional.softmax(logits, dim=-1)[0], dim=-1)
    return {"label": model.config.id2label[best.item()], "score": score.item()}
