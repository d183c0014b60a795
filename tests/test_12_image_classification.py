"""Kata 12, image classification: the learner's pixel values and labels equal the image processor's and the
image-classification pipeline's.

Images come in any size and in two colours, so that a missing resize or normalisation shows in the numbers.
"""

import math

import pytest
from hypothesis import example, given, note
from hypothesis import strategies as st

from katakit.explain import call, loaded_model_problem, mismatch, tensor_problem, wrong_type
from katakit.reference import image_pixel_values
from katakit.strategies import images

task = pytest.mark.task
PIXELS_SHAPE = "(1 image, 3 colour channels, the processor's size['height'], size['width'])"
RED = (200, 30, 40)


def solid(size, colour=RED):
    from PIL import Image

    return Image.new("RGB", size, colour)


@pytest.fixture(scope="module")
def reference_classifier(vit_reference):
    """The library's answer: an image-classification pipeline on the reference processor and model."""
    from transformers import pipeline

    return pipeline("image-classification", model=vit_reference.model, image_processor=vit_reference.image_processor)


def describe(image) -> str:
    return f"<PIL image {image.width}x{image.height}>"


@task(1)
def test_load_classifier_loads_the_saved_processor_and_classifier(kata, vit_dir, vit_reference):
    called = call("load_classifier", str(vit_dir))
    got = kata.load_classifier(vit_dir)
    problem = wrong_type(got, tuple, called, "Return a pair: (image_processor, model).")
    assert problem is None and len(got) == 2, problem or f"{called} returned {len(got)} values; expected 2."
    image_processor, model = got
    problem = loaded_model_problem(model, vit_reference.model, called, "the one saved in the folder. Which Auto "
                                   "class puts an image classification head on the model?")
    assert problem is None, problem
    settings, expected_settings = getattr(image_processor, "to_dict", dict)(), vit_reference.image_processor.to_dict()
    assert settings == expected_settings, mismatch(
        f"{called}: the image processor's settings", settings, expected_settings,
        "Expected the image processor saved in the folder (its preprocessor_config.json), loaded with "
        "AutoImageProcessor.from_pretrained: its size and normalisation are the ones the model was trained with.")


@task(2)
@given(image=images())
@example(image=solid((50, 20)))
def test_pixel_values_are_the_image_processors(kata, vit, vit_reference, image):
    called = call("pixel_values", vit.image_processor, describe(image))
    got = kata.pixel_values(vit.image_processor, image)
    expected = image_pixel_values(vit_reference, image)
    note(f"image {image.size}; processor size {vit_reference.image_processor.size}")
    problem = tensor_problem(
        got, expected, called, PIXELS_SHAPE,
        "Expected the image processor's own pixel_values (return_tensors='pt'): resized to the processor's size, "
        "rescaled from 0-255 to 0-1 and normalised with its image_mean and image_std.")
    assert problem is None, problem


def check_prediction(called: str, got, expected: dict, label_names, advice: str) -> None:
    problem = wrong_type(got, dict, called, 'Return a dict: {"label": ..., "score": ...}.')
    assert problem is None, problem
    label = got.get("label")
    if label not in label_names:
        advice = (f"Expected a label's name, one of {sorted(label_names)}: the classification head only knows "
                  "label ids; which dict of the model's config names them?")
    assert label == expected["label"], mismatch(f"{called}: label", label, expected["label"], advice)
    score = got.get("score")
    assert isinstance(score, (int, float)) and math.isclose(score, expected["score"], rel_tol=1e-4, abs_tol=1e-6), (
        mismatch(f"{called}: score", score, expected["score"],
                 "Expected the label's probability as a Python float: the softmax of the logits over the labels "
                 "(the last dimension), so that the scores of all labels sum to 1."))


@task(3)
@given(image=images())
@example(image=solid((32, 32)))
@example(image=solid((50, 20), (20, 40, 230)))
def test_classify_names_the_most_likely_label_as_the_pipeline_does(kata, vit, reference_classifier, image):
    called = call("classify", vit.image_processor, vit.model, describe(image))
    got = kata.classify(vit.image_processor, vit.model, image)
    expected = reference_classifier(image, top_k=1)[0]
    note(f"the pipeline's scores: {reference_classifier(image)}")
    check_prediction(called, got, expected, vit.model.config.id2label.values(),
                     "Expected the label of the largest probability. Did the model get the image processor's "
                     "pixel_values, and did you take the softmax over the labels (the last dimension)?")


@task(4)
@given(image=images(), k=st.integers(min_value=1, max_value=3))
@example(image=solid((32, 32)), k=3)
@example(image=solid((50, 20), (30, 210, 60)), k=2)
def test_classify_top_k_lists_the_k_most_likely_labels_as_the_pipeline_does(kata, vit, reference_classifier,
                                                                           image, k):
    assert k <= vit.model.config.num_labels  # the pipeline clamps k to the number of labels; keep the two equal
    called = call("classify_top_k", vit.image_processor, vit.model, describe(image), k)
    got = kata.classify_top_k(vit.image_processor, vit.model, image, k)
    expected = reference_classifier(image, top_k=k)
    problem = wrong_type(got, list, called, 'Return a list of dicts {"label": ..., "score": ...}.')
    assert problem is None, problem
    labels = [prediction.get("label") if isinstance(prediction, dict) else prediction for prediction in got]
    expected_labels = [prediction["label"] for prediction in expected]
    assert labels == expected_labels, mismatch(
        f"{called}: labels", labels, expected_labels,
        f"Expected the names of the {k} most likely labels, the most likely first: how does torch.topk order "
        "what it returns, and which config dict names a label id?")
    for index, (prediction, expected_prediction) in enumerate(zip(got, expected, strict=True)):
        check_prediction(f"{called}[{index}]", prediction, expected_prediction, vit.model.config.id2label.values(),
                         "")
