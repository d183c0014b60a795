"""Reads the model's generation_config.do_sample instead of running the experiment."""


def pipeline_samples_by_default(generator, prompt):
    return bool(generator.model.generation_config.do_sample)
