"""Keeps only the [CLS] vector instead of one vector per token."""


def text_features(extractor, text):
    return extractor(text, return_tensors=True)[:, :1]
