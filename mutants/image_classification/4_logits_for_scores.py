"""Takes the top k of the raw logits and reports them as the scores, with no softmax."""

import torch


def classify_top_k(image_processor, model, image, k):
    with torch.no_grad():
        logits = model(pixel_values=pixel_values(image_processor, image)).logits[0]
    top = logits.topk(k)
    return [
        {"label": model.config.id2label[index], "score": score}
        for score, index in zip(top.values.tolist(), top.indices.tolist(), strict=True)
    ]
