"""Saves both but returns the objects it was given instead of loading them back."""


def save_and_reload(tokenizer, model, folder):
    tokenizer.save_pretrained(folder)
    model.save_pretrained(folder)
    return tokenizer, model
