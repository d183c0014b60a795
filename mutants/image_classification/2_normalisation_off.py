"""Turns the processor's normalisation off, "since the pixels are already rescaled"."""


def pixel_values(image_processor, image):
    return image_processor(image, do_normalize=False, return_tensors="pt")["pixel_values"]
