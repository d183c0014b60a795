"""The Auto class read from the library's own table of pipeline tasks."""

from transformers.pipelines import SUPPORTED_TASKS


def auto_class_for(task):
    return SUPPORTED_TASKS[task]["pt"][0]
