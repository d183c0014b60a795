"""pipeline() with the task and the folder as keywords, the folder as a string, the device named."""


def build_generator(model_dir):
    return pipeline(task="text-generation", model=str(model_dir), device="cpu")
