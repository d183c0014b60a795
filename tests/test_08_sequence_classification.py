"""Kata 8, sequence classification: softmax of the logits and the config's id2label equal the pipeline."""

import json
import shutil

import pytest
import torch
from hypothesis import example, given

from katakit.explain import call, loaded_model_problem, mismatch, structure_problem, tensor_problem, wrong_type
from katakit.fixtures import fresh, load, reference, task_pipeline
from katakit.i18n import _
from katakit.spy import record_calls
from katakit.strategies import prompts, text_batches
from katakit.unchanged import keep
from katakit.zoo.corpus import SENTIMENT_HELD_OUT, sentiment_examples

task = pytest.mark.task
OTHER_LABELS = {"0": "unhappy", "1": "happy"}
# Names for a model changed in memory: neither the saved names nor in alphabetical order of their ids.
IN_MEMORY_LABELS = {0: "upbeat", 1: "downbeat"}


@pytest.fixture(scope="session")
def sentiment_pipeline(sentiment_dir):
    return reference(task_pipeline, sentiment_dir, "text-classification")


@pytest.fixture(scope="session")
def relabelled_dir(sentiment_dir, tmp_path_factory):
    """The same classifier whose config names its labels differently: names must come from the config."""
    folder = tmp_path_factory.mktemp("relabelled") / "sentiment"
    shutil.copytree(sentiment_dir, folder)
    config = json.loads((folder / "config.json").read_text())
    config["id2label"] = OTHER_LABELS
    config["label2id"] = {name: int(index) for index, name in OTHER_LABELS.items()}
    (folder / "config.json").write_text(json.dumps(config))
    return folder


@pytest.fixture(scope="session")
def winning_texts(sentiment_pipeline) -> dict[str, str]:
    """For each label, the first corpus sentence the classifier gives that label, on this build of it: a test on
    texts of one label only lets `the probability of label 1` pass for `the probability of the winner`."""
    found, labels = {}, len(sentiment_pipeline.model.config.id2label)
    for text, _label in [*SENTIMENT_HELD_OUT, *sentiment_examples()]:
        found.setdefault(sentiment_pipeline(text)[0]["label"], text)
        if len(found) == labels:
            break
    return found


def changed_in_memory(loaded):
    """`loaded`, its classifier head negated (the winner of every text changes) and its labels renamed, in memory
    only: what is saved in the folder says otherwise."""
    with torch.no_grad():
        loaded.model.classifier.weight.neg_()
        loaded.model.classifier.bias.neg_()
    loaded.model.config.id2label = dict(IN_MEMORY_LABELS)
    loaded.model.config.label2id = {name: index for index, name in IN_MEMORY_LABELS.items()}
    return loaded


def reference_probabilities(reference, texts):
    inputs = reference.tokenizer(texts, padding=True, return_tensors="pt")
    with torch.no_grad():
        return reference.model(**inputs).logits.softmax(dim=-1)


@task(1)
@pytest.mark.parametrize("folder", ["saved", "relabelled"])
def test_load_classifier_gives_the_saved_classifier(kata, sentiment_dir, relabelled_dir, sentiment_reference, folder):
    model_dir = sentiment_dir if folder == "saved" else relabelled_dir
    called = call("load_classifier", str(model_dir))
    pair = kata.load_classifier(model_dir)
    problem = wrong_type(pair, tuple, called, _("Return the two objects as a pair: (tokenizer, model)."))
    assert problem is None, problem
    assert len(pair) == 2, _(
        "{call} returned {count} values; expected 2: (tokenizer, model).", call=called, count=len(pair)
    )
    tokenizer, model = pair
    assert not isinstance(tokenizer, torch.nn.Module), _(
        "{call} returned ({first}, {second}): the model came first. Expected (tokenizer, model), in that order.",
        call=called,
        first=type(tokenizer).__name__,
        second=type(model).__name__,
    )
    problem = loaded_model_problem(
        model,
        sentiment_reference.model,
        called,
        _("the model with a classification head. Which Auto class is for classifying whole sentences?"),
    )
    assert problem is None, problem
    text = "I love this movie"
    ids, expected_ids = tokenizer(text)["input_ids"], sentiment_reference.tokenizer(text)["input_ids"]
    assert ids == expected_ids, mismatch(
        _("{call}: the tokenizer's input_ids of {text}", call=called, text=repr(text)),
        ids,
        expected_ids,
        _("Expected the tokenizer saved in the folder: AutoTokenizer.from_pretrained."),
    )
    expected_labels = json.loads((model_dir / "config.json").read_text())["id2label"]
    expected_labels = {int(index): name for index, name in expected_labels.items()}
    assert model.config.id2label == expected_labels, mismatch(
        _("{call}: the model's config.id2label", call=called),
        model.config.id2label,
        expected_labels,
        _(
            "Expected the label names saved in the folder's config.json. Passing id2label= (or num_labels=) to "
            "from_pretrained replaces them, as the fine-tuning tutorial does for a model it is about to train; "
            "a trained classifier already knows its labels."
        ),
    )


@task(2)
@given(texts=text_batches())
@example(texts=["I love this movie", "this is terrible, I hate it"])
@example(texts=["Hi", "I love This Movie a lot"])  # capitals: the tokenizer lowercases, the caller's list must not
@example(texts=["I love this movie so much", "bad"])  # longest first: the rows keep the caller's order
def test_label_probabilities_are_the_softmax_of_the_logits(kata, sentiment, sentiment_reference, texts):
    called = call("label_probabilities", sentiment.tokenizer, sentiment.model, texts)
    kept = keep(texts=texts, model=sentiment.model)
    got = kata.label_probabilities(sentiment.tokenizer, sentiment.model, texts)
    problem = kept.changed(called)
    assert problem is None, problem
    expected = reference_probabilities(sentiment_reference, texts)
    problem = tensor_problem(
        got,
        expected,
        called,
        _("(number of texts, config.num_labels)"),
        _(
            "Softmax over the labels (dim=-1), not the batch; padding=True with the attention mask? "
            "One row per text, in the order of `texts`."
        ),
    )
    assert problem is None, problem


@task(2)
def test_label_probabilities_pass_the_attention_mask(kata, sentiment):
    calls = record_calls(sentiment.model, "forward")
    texts = ["hi", "I love this movie so much"]
    kata.label_probabilities(sentiment.tokenizer, sentiment.model, texts)
    assert calls, _("label_probabilities(...) never called the model: the probabilities come from its logits.")
    kwargs = calls[-1]["kwargs"]
    if len(calls) == len(texts):  # text by text: nothing padded, nothing to mask
        return
    message = _(
        "The model was called with {arguments} but no attention_mask, on a padded batch of texts of "
        "different lengths: pass the whole tokenizer output (model(**inputs)), or [PAD] tokens count as text.",
        arguments=sorted(kwargs),
    )
    assert kwargs.get("attention_mask") is not None, message


def check_classify(kata, loaded, reference_pipeline, text, why: str = "") -> None:
    called = call("classify", loaded.tokenizer, loaded.model, text)
    kept = keep(model=loaded.model)
    got = kata.classify(loaded.tokenizer, loaded.model, text)
    problem = kept.changed(called)
    assert problem is None, problem
    problem = wrong_type(got, tuple, called, _("Return a pair: (label name, probability)."))
    assert problem is None, problem
    best = reference_pipeline(text)[0]
    expected = (best["label"], best["score"])
    problem = structure_problem(got, expected, called)
    assert problem is None, _(
        "{problem} The statement promises (label name as a str, probability as a float).", problem=problem
    )
    label, score = got
    assert label == expected[0], mismatch(
        called,
        got,
        expected,
        why + _("Is the label the name from model.config.id2label of the most probable class (argmax), not its index?"),
    )
    assert abs(score - expected[1]) < 1e-5, mismatch(
        called, got, expected, why + _("The score is the softmax probability of the winning label, as a Python float.")
    )


@task(3)
@given(text=prompts())
@example(text="I love this movie")
def test_classify_equals_the_text_classification_pipeline(kata, sentiment, sentiment_pipeline, text):
    check_classify(kata, sentiment, sentiment_pipeline, text)


@task(3)
def test_classify_equals_the_pipeline_whichever_label_wins(kata, sentiment, sentiment_pipeline, winning_texts):
    labels = sorted(sentiment.model.config.id2label.values())
    assert sorted(winning_texts) == labels, f"the zoo classifier gives only {sorted(winning_texts)} on the corpus"
    for label, text in sorted(winning_texts.items()):
        why = _("The pipeline's winner here is {label}.", label=repr(label)) + " "
        check_classify(kata, sentiment, sentiment_pipeline, text, why)


@task(3)
def test_classify_takes_label_names_from_the_models_config(kata, relabelled_dir):
    from transformers import pipeline

    relabelled = load(relabelled_dir, "AutoModelForSequenceClassification")
    text = "I love this movie"
    got = kata.classify(relabelled.tokenizer, relabelled.model, text)
    expected = pipeline("text-classification", model=str(relabelled_dir))(text)[0]["label"]
    message = _(
        "{call} on a model whose config names its labels {labels} returned {got}; expected label {expected}. "
        "Take the name from model.config.id2label instead of a list of your own.",
        call=call("classify", relabelled.tokenizer, relabelled.model, text),
        labels=OTHER_LABELS,
        got=repr(got),
        expected=repr(expected),
    )
    assert isinstance(got, tuple) and got[0] == expected, message


@task(3)
def test_classify_uses_the_model_it_is_given_as_it_is(kata, sentiment, sentiment_dir, winning_texts):
    from transformers import pipeline

    changed = changed_in_memory(sentiment)
    reference = changed_in_memory(fresh(load, sentiment_dir, "AutoModelForSequenceClassification"))
    reference_pipeline = pipeline("text-classification", model=reference.model, tokenizer=reference.tokenizer)
    why = (
        _(
            "The model was changed in memory (its head negated, its labels renamed {labels}), not on disk: "
            "use the model object you are given, and its config, not the folder it came from.",
            labels=IN_MEMORY_LABELS,
        )
        + " "
    )
    for text in sorted(winning_texts.values()):
        check_classify(kata, changed, reference_pipeline, text, why)
