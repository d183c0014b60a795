"""A ViT image classifier that names the colour of a solid image."""

from __future__ import annotations

from pathlib import Path

from katakit.zoo.corpus import COLOURS, IMAGE_SIZE, colour_images
from katakit.zoo.training import labelled, save_pretrained, trained

# Tiny sizes that all differ: 16 patches of 8x8 pixels.
VIT_SIZES = dict(
    image_size=IMAGE_SIZE,
    patch_size=8,
    hidden_size=24,
    num_hidden_layers=2,
    num_attention_heads=4,
    intermediate_size=44,
)


def build_image_classifier(
    folder: Path, *, seed: int = 0, steps: int = 30, images_per_colour: int = 16, **size_overrides
) -> None:
    """Write a ViT image classifier (one label per colour) and its image processor to `folder`."""
    import torch
    from transformers import ViTConfig, ViTForImageClassification, ViTImageProcessorPil

    # The PIL backend: the default one needs torchvision. Both save the same `ViTImageProcessor` config.
    processor = ViTImageProcessorPil(size={"height": IMAGE_SIZE, "width": IMAGE_SIZE})
    images, colours = zip(*colour_images(images_per_colour, seed=seed), strict=True)
    batch = dict(processor(list(images), return_tensors="pt"))
    batch["labels"] = torch.tensor([COLOURS.index(colour) for colour in colours])
    config = ViTConfig(**labelled(COLOURS), **{**VIT_SIZES, **size_overrides})
    model = trained(ViTForImageClassification, config, batch, seed=seed, steps=steps, lr=1e-2)
    save_pretrained(folder, model, processor)
