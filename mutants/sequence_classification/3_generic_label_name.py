"""Names the label LABEL_<index>, the default name, instead of reading id2label."""


def classify(tokenizer, model, text):
    probabilities = label_probabilities(tokenizer, model, [text])[0]
    best = int(probabilities.argmax())
    return f"LABEL_{best}", float(probabilities[best])
