"""The processor called with images=[image], a batch of one, its pixel_values read as an attribute."""


def pixel_values(image_processor, image):
    return image_processor(images=[image], return_tensors="pt").pixel_values
