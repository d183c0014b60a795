"""Returns the score as a 0-d tensor instead of a Python float."""


def classify(tokenizer, model, text):
    probabilities = label_probabilities(tokenizer, model, [text])[0]
    best = int(probabilities.argmax())
    return model.config.id2label[best], probabilities[best]
