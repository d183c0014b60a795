"""Pops the texts off the caller's list one by one, leaving it empty."""


def batch_features(extractor, texts):
    features = []
    while texts:
        features.append(extractor(texts.pop(0), return_tensors=True))
    return features
