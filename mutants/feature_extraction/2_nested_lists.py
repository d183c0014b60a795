"""Returns the pipeline's nested Python lists instead of a tensor."""


def text_features(extractor, text):
    return extractor(text)
