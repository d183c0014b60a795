"""Keeps the top k labels but lists them in alphabetical order of their names."""

import torch


def classify_top_k(image_processor, model, image, k):
    with torch.no_grad():
        logits = model(pixel_values=pixel_values(image_processor, image)).logits
    top = logits[0].softmax(dim=-1).topk(k)
    predictions = [
        {"label": model.config.id2label[index], "score": score}
        for score, index in zip(top.values.tolist(), top.indices.tolist(), strict=True)
    ]
    return sorted(predictions, key=lambda prediction: prediction["label"])
