"""Kata 12 - image classification: an image processor and a model with a classification head.

After this kata you can load an image classifier and its image processor from a folder, turn a
PIL image into the `pixel_values` tensor the model expects, and read the model's answer as the
`image-classification` pipeline does: the softmax of the logits, named with `config.id2label`,
the most likely label first.

The image processor resizes every image to the size the model was trained on, rescales the
pixels from 0-255 to 0-1 and normalises them with the mean and standard deviation of its config.
The model here is the course's tiny ViT, which names the colour of an image (red, green or
blue); the same code runs on "google/vit-base-patch16-224".

Docs: https://huggingface.co/docs/transformers/tasks/image_classification

Tasks:
  1. load_classifier - the image processor and the image classifier saved in a folder.
  2. pixel_values    - a PIL image as the tensor the model takes.
  3. classify        - the most likely label of an image, and its probability.
  4. classify_top_k  - the k most likely labels, as the pipeline lists them.
"""

import torch
from transformers import AutoImageProcessor, AutoModelForImageClassification


def load_classifier(model_dir):
    """1. Load the image processor and the image classification model saved in `model_dir`.

    Args:
        model_dir: a folder written by `save_pretrained` (config, weights, preprocessor_config.json).
    Returns:
        a pair `(image_processor, model)`.
    Example:
        >>> image_processor, model = load_classifier(model_dir)
        >>> type(model).__name__
        'ViTForImageClassification'
    """
    return AutoImageProcessor.from_pretrained(model_dir), AutoModelForImageClassification.from_pretrained(model_dir)


def pixel_values(image_processor, image):
    """2. The tensor the model takes for `image`, prepared by the image processor.

    Args:
        image_processor: the model's image processor.
        image: a PIL RGB image of any size.
    Returns:
        a float tensor of shape (1, 3, height, width), height and width those of the processor's
        `size`, not the image's.
    Example:
        >>> pixel_values(image_processor, Image.new("RGB", (50, 20), "red")).shape
        torch.Size([1, 3, 32, 32])
    """
    # The processor resizes, rescales and normalises as the model was trained: never feed raw pixels.
    return image_processor(image, return_tensors="pt")["pixel_values"]


def classify(image_processor, model, image):
    """3. The most likely label of `image` and its probability, computed from the model's logits.

    Do it by hand, without a pipeline: the result must equal
    `pipeline("image-classification", ...)(image)[0]`.

    Returns:
        a dict `{"label": name, "score": probability}`: the label's name as the model's config
        names it, and its probability as a float.
    Example:
        >>> classify(image_processor, model, Image.new("RGB", (32, 32), (200, 30, 40)))
        {'label': 'red', 'score': 0.997...}
    """
    with torch.no_grad():
        logits = model(pixel_values=pixel_values(image_processor, image)).logits
    # One row of logits per image: the softmax runs over the labels, the last dimension.
    probabilities = logits[0].softmax(dim=-1)
    best = probabilities.argmax().item()
    # The head only knows label ids; the config names them.
    return {"label": model.config.id2label[best], "score": probabilities[best].item()}


def classify_top_k(image_processor, model, image, k):
    """4. The `k` most likely labels of `image`, the most likely first, as the pipeline gives them.

    The result must equal `pipeline("image-classification", ...)(image, top_k=k)`.

    Args:
        k: between 1 and the number of labels (`model.config.num_labels`).
    Returns:
        a list of k dicts `{"label": name, "score": probability}` (a str and a float), from the most
        to the least likely.
    Example:
        >>> classify_top_k(image_processor, model, Image.new("RGB", (32, 32), (200, 30, 40)), 2)
        [{'label': 'red', 'score': 0.997...}, {'label': 'blue', 'score': 0.0013...}]
    """
    with torch.no_grad():
        logits = model(pixel_values=pixel_values(image_processor, image)).logits
    probabilities = logits[0].softmax(dim=-1)
    top = probabilities.topk(k)  # sorted, the most likely first
    return [
        {"label": model.config.id2label[index], "score": score}
        for score, index in zip(top.values.tolist(), top.indices.tolist(), strict=True)
    ]
