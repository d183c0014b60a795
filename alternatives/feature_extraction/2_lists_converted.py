"""The pipeline's nested lists converted with torch.tensor."""

import torch


def text_features(extractor, text):
    return torch.tensor(extractor(text))
