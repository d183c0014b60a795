"""Takes the label names in alphabetical order of label2id's keys, as if that were their id order."""


def classify(tokenizer, model, text):
    probabilities = label_probabilities(tokenizer, model, [text])[0]
    best = int(probabilities.argmax())
    return sorted(model.config.label2id)[best], float(probabilities[best])
