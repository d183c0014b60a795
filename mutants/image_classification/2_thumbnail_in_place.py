"""Shrinks the caller's image in place with Image.thumbnail to the processor's size before processing it."""


def pixel_values(image_processor, image):
    image.thumbnail((image_processor.size["width"], image_processor.size["height"]))
    return image_processor(image, return_tensors="pt")["pixel_values"]
