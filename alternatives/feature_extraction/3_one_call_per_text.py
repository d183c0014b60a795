"""One call of the extractor per text, in a list comprehension."""


def batch_features(extractor, texts):
    return [extractor(text, return_tensors=True) for text in texts]
