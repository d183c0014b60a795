"""Takes [0] of the processor's pixel_values, dropping the batch dimension."""


def pixel_values(image_processor, image):
    return image_processor(image, return_tensors="pt")["pixel_values"][0]
