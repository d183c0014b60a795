"""Runs the texts in one batch (batch_size=len(texts)), which pads them to the longest."""


def batch_features(extractor, texts):
    return extractor(texts, return_tensors=True, batch_size=len(texts))
