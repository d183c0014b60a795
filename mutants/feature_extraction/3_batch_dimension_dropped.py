"""Takes [0] of each text's tensor, dropping its batch dimension."""


def batch_features(extractor, texts):
    return [features[0] for features in extractor(texts, return_tensors=True)]
