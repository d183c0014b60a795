"""Turns the image's own pixels into a tensor, scaled to 0-1: no resizing, no normalising."""

import numpy as np
import torch


def pixel_values(image_processor, image):
    pixels = torch.from_numpy(np.array(image)).permute(2, 0, 1).float() / 255
    return pixels.unsqueeze(0)
