"""Takes [0] of the pipeline's tensor, dropping the batch dimension."""


def text_features(extractor, text):
    return extractor(text, return_tensors=True)[0]
