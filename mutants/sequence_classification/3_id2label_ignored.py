"""Names the labels from a list of its own instead of model.config.id2label."""


def classify(tokenizer, model, text):
    probabilities = label_probabilities(tokenizer, model, [text])[0]
    best = int(probabilities.argmax())
    return ["NEGATIVE", "POSITIVE"][best], float(probabilities[best])
