"""Reports the probability of the last label ("the probability that it is positive") whichever label wins."""


def classify(tokenizer, model, text):
    probabilities = label_probabilities(tokenizer, model, [text])[0]
    best = int(probabilities.argmax())
    return model.config.id2label[best], float(probabilities[-1])
