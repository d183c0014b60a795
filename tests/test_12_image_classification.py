"""Kata 12, image classification: the learner's pixel values and labels equal the image processor's and the
image-classification pipeline's.

Images come in any size and in two colours, so that a missing resize or normalisation shows in the numbers. The
labels are also checked on the classifier changed in memory: its labels renamed and in another id order, the head's
rows permuted to match, so that names must come from the config of the model given, as it is.
"""

import math

import pytest
import torch
from hypothesis import example, given
from hypothesis import strategies as st

from katakit.explain import call, loaded_model_problem, mismatch, noted, structure_problem, tensor_problem, wrong_type
from katakit.fixtures import fresh, load_images, relabelled_in_memory
from katakit.i18n import N_, _
from katakit.reference import image_pixel_values
from katakit.strategies import images
from katakit.unchanged import keep
from katakit.zoo.corpus import COLOURS, colour_images

task = pytest.mark.task
PIXELS_SHAPE = N_("(1 image, 3 colour channels, the processor's size['height'], size['width'])")
RED = (200, 30, 40)
# The vit model's colours renamed; the new id j holds the old id PERMUTATION[j]. Neither the saved names nor their
# order, and not in alphabetical order either.
RENAMED = {"red": "ruby", "green": "jade", "blue": "sapphire"}
PERMUTATION = (1, 2, 0)


def solid(size, colour=RED):
    from PIL import Image

    return Image.new("RGB", size, colour)


@pytest.fixture(scope="module")
def reference_classifier(vit_reference):
    """The library's answer: an image-classification pipeline on the reference processor and model."""
    from transformers import pipeline

    return pipeline("image-classification", model=vit_reference.model, image_processor=vit_reference.image_processor)


@pytest.fixture(scope="module")
def winning_images(reference_classifier) -> dict[str, object]:
    """For each label, the first training-like image the classifier gives that label, on this build of it."""
    found = {}
    for image, _colour in colour_images(4, seed=1):
        found.setdefault(reference_classifier(image, top_k=1)[0]["label"], image)
    return found


@pytest.fixture
def relabelled(vit):
    return relabelled_in_memory(vit, RENAMED, PERMUTATION)


@pytest.fixture(scope="module")
def relabelled_classifier(vit_dir):
    """The pipeline on another copy of the classifier, relabelled in memory the same way."""
    from transformers import pipeline

    reference = relabelled_in_memory(
        fresh(load_images, vit_dir, "AutoModelForImageClassification"), RENAMED, PERMUTATION
    )
    return pipeline("image-classification", model=reference.model, image_processor=reference.image_processor)


RELABELLED = N_(
    "The classifier was changed in memory: its labels renamed {labels} and in another id order, its head "
    "to match. Take the names from model.config.id2label of the model you are given, as it is."
)


def relabelled_why() -> str:
    """RELABELLED in the learner's language, then a space: the advice of a failure follows it."""
    return _(RELABELLED, labels=RENAMED) + " "


def describe(image) -> str:
    return f"<PIL image {image.width}x{image.height}>"


def image_kept(image):
    """What `image` holds, to compare after the kata's call: its mode, size and pixel bytes."""
    return image.mode, image.size, image.tobytes()


def check_image_kept(image, before, called) -> None:
    assert image_kept(image) == before, _(
        "{call} changed the caller's image (now {mode} {width}x{height}; it was {mode_before} "
        "{width_before}x{height_before}, or its pixels changed). Image.thumbnail, paste and draft work in place: "
        "leave the image to the processor, or work on image.copy().",
        call=called,
        mode=image.mode,
        width=image.size[0],
        height=image.size[1],
        mode_before=before[0],
        width_before=before[1][0],
        height_before=before[1][1],
    )


@task(1)
def test_load_classifier_loads_the_saved_processor_and_classifier(kata, vit_dir, vit_reference):
    called = call("load_classifier", str(vit_dir))
    got = kata.load_classifier(vit_dir)
    problem = wrong_type(got, tuple, called, _("Return a pair: (image_processor, model)."))
    assert problem is None and len(got) == 2, problem or _(
        "{call} returned {count} values; expected 2.", call=called, count=len(got)
    )
    image_processor, model = got
    assert not isinstance(image_processor, torch.nn.Module), _(
        "{call} returned ({first}, {second}): the model came first. Expected (image_processor, model), in that order.",
        call=called,
        first=type(image_processor).__name__,
        second=type(model).__name__,
    )
    problem = loaded_model_problem(
        model,
        vit_reference.model,
        called,
        _("the one saved in the folder. Which Auto class puts an image classification head on the model?"),
    )
    assert problem is None, problem
    settings, expected_settings = getattr(image_processor, "to_dict", dict)(), vit_reference.image_processor.to_dict()
    assert settings == expected_settings, mismatch(
        _("{call}: the image processor's settings", call=called),
        settings,
        expected_settings,
        _(
            "Expected the image processor saved in the folder (its preprocessor_config.json), loaded with "
            "AutoImageProcessor.from_pretrained: its size and normalisation are the ones the model was trained "
            "with."
        ),
    )


@task(2)
@given(image=images())
@example(image=solid((50, 20)))
@example(image=solid((64, 48), (30, 210, 60)))  # larger than the processor's size on both sides
def test_pixel_values_are_the_image_processors(kata, vit, vit_reference, image):
    called = call("pixel_values", vit.image_processor, describe(image))
    before = image_kept(image)
    expected = image_pixel_values(vit_reference, image)
    got = kata.pixel_values(vit.image_processor, image)
    check_image_kept(image, before, called)
    noted(
        _(
            "image {size}; processor size {processor_size}",
            size=image.size,
            processor_size=vit_reference.image_processor.size,
        )
    )
    problem = tensor_problem(
        got,
        expected,
        called,
        _(PIXELS_SHAPE),
        _(
            "Expected the image processor's own pixel_values (return_tensors='pt'): resized to the processor's "
            "size, rescaled from 0-255 to 0-1 and normalised with its image_mean and image_std."
        ),
        held_by=_("the image processor's output (a BatchFeature)"),
    )
    assert problem is None, problem


def check_prediction(called: str, got, expected: dict, label_names, advice: str) -> None:
    problem = wrong_type(got, dict, called, _('Return a dict: {"label": ..., "score": ...}.'))
    assert problem is None, problem
    label = got.get("label")
    if label not in label_names:
        advice = _(
            "Expected a label's name, one of {labels}: the classification head only knows "
            "label ids; which dict of the model's config names them?",
            labels=sorted(label_names),
        )
    assert label == expected["label"], mismatch(f"{called}: label", label, expected["label"], advice)
    problem = structure_problem(got, expected, called)
    assert problem is None, _(
        '{problem} Expected exactly {{"label": a str, "score": a float}}, as the pipeline gives.', problem=problem
    )
    score = got["score"]
    assert math.isclose(score, expected["score"], rel_tol=1e-4, abs_tol=1e-6), mismatch(
        f"{called}: score",
        score,
        expected["score"],
        _(
            "Expected the label's probability as a Python float: the softmax of the logits over the labels "
            "(the last dimension), so that the scores of all labels sum to 1."
        ),
    )


def check_classify(kata, loaded, classifier, image, why: str = "") -> None:
    called = call("classify", loaded.image_processor, loaded.model, describe(image))
    before, kept = image_kept(image), keep(model=loaded.model)
    got = kata.classify(loaded.image_processor, loaded.model, image)
    check_image_kept(image, before, called)
    problem = kept.changed(called)
    assert problem is None, problem
    expected = classifier(image, top_k=1)[0]
    noted(_("the pipeline's scores: {scores}", scores=classifier(image)))
    check_prediction(
        called,
        got,
        expected,
        loaded.model.config.id2label.values(),
        why
        + _(
            "Expected the label of the largest probability. Did the model get the image processor's "
            "pixel_values, and did you take the softmax over the labels (the last dimension)?"
        ),
    )


@task(3)
@given(image=images())
@example(image=solid((32, 32)))
@example(image=solid((50, 20), (20, 40, 230)))
def test_classify_names_the_most_likely_label_as_the_pipeline_does(kata, vit, reference_classifier, image):
    check_classify(kata, vit, reference_classifier, image)


@task(3)
def test_classify_names_labels_by_the_config_of_the_model_given(
    kata, relabelled, relabelled_classifier, winning_images
):
    assert sorted(winning_images) == sorted(COLOURS), f"the zoo classifier gives only {sorted(winning_images)}"
    for _label, image in sorted(winning_images.items()):
        check_classify(kata, relabelled, relabelled_classifier, image, relabelled_why())


def check_classify_top_k(kata, loaded, classifier, image, k, why: str = "") -> None:
    assert k <= loaded.model.config.num_labels  # the pipeline clamps k to the number of labels; keep the two equal
    called = call("classify_top_k", loaded.image_processor, loaded.model, describe(image), k)
    before, kept = image_kept(image), keep(model=loaded.model)
    got = kata.classify_top_k(loaded.image_processor, loaded.model, image, k)
    check_image_kept(image, before, called)
    problem = kept.changed(called)
    assert problem is None, problem
    expected = classifier(image, top_k=k)
    problem = wrong_type(got, list, called, _('Return a list of dicts {"label": ..., "score": ...}.'))
    assert problem is None, problem
    labels = [prediction.get("label") if isinstance(prediction, dict) else prediction for prediction in got]
    expected_labels = [prediction["label"] for prediction in expected]
    assert labels == expected_labels, mismatch(
        _("{call}: labels", call=called),
        labels,
        expected_labels,
        why
        + _(
            "Expected the names of the {k} most likely labels, the most likely first: how does torch.topk order "
            "what it returns, and which config dict names a label id?",
            k=k,
        ),
    )
    for index, (prediction, expected_prediction) in enumerate(zip(got, expected, strict=True)):
        check_prediction(
            f"{called}[{index}]", prediction, expected_prediction, loaded.model.config.id2label.values(), why
        )


@task(4)
@given(image=images(), k=st.integers(min_value=1, max_value=3))
@example(image=solid((32, 32)), k=3)
@example(image=solid((50, 20), (30, 210, 60)), k=2)
def test_classify_top_k_lists_the_k_most_likely_labels_as_the_pipeline_does(kata, vit, reference_classifier, image, k):
    check_classify_top_k(kata, vit, reference_classifier, image, k)


@task(4)
def test_classify_top_k_names_labels_by_the_config_of_the_model_given(
    kata, relabelled, relabelled_classifier, winning_images
):
    for _label, image in sorted(winning_images.items()):
        check_classify_top_k(kata, relabelled, relabelled_classifier, image, 3, relabelled_why())
