"""Kata 8, sequence classification: softmax of the logits and the config's id2label equal the pipeline."""

import json
import shutil

import pytest
import torch
from hypothesis import example, given

from katakit.explain import call, loaded_model_problem, mismatch, tensor_problem, wrong_type
from katakit.fixtures import load
from katakit.spy import record_calls
from katakit.strategies import prompts, text_batches

task = pytest.mark.task
OTHER_LABELS = {"0": "unhappy", "1": "happy"}


@pytest.fixture(scope="session")
def sentiment_pipeline(sentiment_dir):
    from transformers import pipeline

    return pipeline("text-classification", model=str(sentiment_dir))


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


def reference_probabilities(reference, texts):
    inputs = reference.tokenizer(texts, padding=True, return_tensors="pt")
    with torch.no_grad():
        return reference.model(**inputs).logits.softmax(dim=-1)


@task(1)
def test_load_classifier_gives_the_saved_classifier(kata, sentiment_dir, sentiment_reference):
    called = call("load_classifier", str(sentiment_dir))
    pair = kata.load_classifier(sentiment_dir)
    problem = wrong_type(pair, tuple, called, "Return the two objects as a pair: (tokenizer, model).")
    assert problem is None, problem
    _, model = pair
    problem = loaded_model_problem(model, sentiment_reference.model, called, "the model with a classification "
                                   "head. Which Auto class is for classifying whole sentences?")
    assert problem is None, problem


@task(2)
@given(texts=text_batches())
@example(texts=["I love this movie", "this is terrible, I hate it"])
def test_label_probabilities_are_the_softmax_of_the_logits(kata, sentiment, sentiment_reference, texts):
    called = call("label_probabilities", sentiment.tokenizer, sentiment.model, texts)
    got = kata.label_probabilities(sentiment.tokenizer, sentiment.model, texts)
    expected = reference_probabilities(sentiment_reference, texts)
    problem = tensor_problem(got, expected, called, "(number of texts, config.num_labels)",
                             "Softmax over the labels (dim=-1), not the batch; padding=True with the attention mask?")
    assert problem is None, problem


@task(2)
def test_label_probabilities_pass_the_attention_mask(kata, sentiment):
    calls = record_calls(sentiment.model, "forward")
    texts = ["hi", "I love this movie so much"]
    kata.label_probabilities(sentiment.tokenizer, sentiment.model, texts)
    assert calls, "label_probabilities(...) never called the model: the probabilities come from its logits."
    kwargs = calls[-1]["kwargs"]
    message = (f"The model was called with {sorted(kwargs)} but no attention_mask, on a padded batch of texts of "
               "different lengths: pass the whole tokenizer output (model(**inputs)), or [PAD] tokens count as text.")
    assert kwargs.get("attention_mask") is not None, message


@task(3)
@given(text=prompts())
@example(text="I love this movie")
def test_classify_equals_the_text_classification_pipeline(kata, sentiment, sentiment_pipeline, text):
    called = call("classify", sentiment.tokenizer, sentiment.model, text)
    got = kata.classify(sentiment.tokenizer, sentiment.model, text)
    problem = wrong_type(got, tuple, called, "Return a pair: (label name, probability).")
    assert problem is None, problem
    expected = sentiment_pipeline(text)[0]
    label, score = got
    assert label == expected["label"], mismatch(called, got, (expected["label"], expected["score"]),
                                                "Is the label the name from model.config.id2label of the most "
                                                "probable class (argmax), not its index?")
    assert isinstance(score, float) and abs(score - expected["score"]) < 1e-5, mismatch(
        called, got, (expected["label"], expected["score"]),
        "The score is the softmax probability of that label, as a Python float.")


@task(3)
def test_classify_takes_label_names_from_the_models_config(kata, relabelled_dir):
    from transformers import pipeline

    relabelled = load(relabelled_dir, "AutoModelForSequenceClassification")
    text = "I love this movie"
    got = kata.classify(relabelled.tokenizer, relabelled.model, text)
    expected = pipeline("text-classification", model=str(relabelled_dir))(text)[0]["label"]
    message = (f"{call('classify', relabelled.tokenizer, relabelled.model, text)} on a model whose config names its "
               f"labels {OTHER_LABELS} returned {got!r}; expected label {expected!r}. Take the name from "
               "model.config.id2label instead of a list of your own.")
    assert isinstance(got, tuple) and got[0] == expected, message
