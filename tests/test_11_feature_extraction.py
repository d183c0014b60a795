"""Kata 11, feature extraction: the pipeline's features equal AutoModel's last hidden state.

The encoder tests run on two encoder sizes, so a shape copied from one model's numbers shows.
"""

import pytest
from hypothesis import example, given, note

from katakit.explain import call, tensor_problem, wrong_type
from katakit.reference import backbone_last_hidden_state, encoder_outputs, same_weights
from katakit.strategies import prompts, text_batches

task = pytest.mark.task
SHAPE = "(1, number of tokens, config.hidden_size)"
AS_TENSOR = ("The pipeline returns nested Python lists by default: convert them to a tensor, "
             "or ask the pipeline for tensors (return_tensors=True).")


def feature_extractor(folder):
    from transformers import pipeline

    return pipeline("feature-extraction", model=str(folder))


@pytest.fixture
def extractor(encoder_dir):
    """A fresh feature-extraction pipeline on the encoder, for the learner."""
    return feature_extractor(encoder_dir)


def tokens_of(reference, texts):
    return [reference.tokenizer.tokenize(text) for text in texts]


def features_problem(got, expected, called: str, advice: str) -> str | None:
    """A message if `got` is not a tensor equal to `expected`: nested lists get their own advice."""
    import torch

    return wrong_type(got, torch.Tensor, called, AS_TENSOR) or tensor_problem(got, expected, called, SHAPE, advice)


@task(1)
def test_build_extractor_returns_a_feature_extraction_pipeline_on_the_saved_encoder(kata, encoder_dir,
                                                                                    encoder_reference):
    from transformers import FeatureExtractionPipeline

    called = call("build_extractor", str(encoder_dir))
    extractor = kata.build_extractor(encoder_dir)
    problem = wrong_type(extractor, FeatureExtractionPipeline, called,
                         "Which task name does pipeline() take to return a model's hidden states?")
    assert problem is None, problem
    expected_class = type(encoder_reference.model).__name__
    assert type(extractor.model).__name__ == expected_class, (
        f"{called} gave a pipeline on a {type(extractor.model).__name__}; expected the bare {expected_class} "
        "that the folder holds. Did you pass the folder as model=...?")
    assert same_weights(extractor.model, encoder_reference.model), (
        f"{called} gave a pipeline whose model has other weights than the one saved in the folder. "
        "Did you pass the folder as model=...?")


@task(2)
@given(text=prompts())
@example(text="Hello world")
def test_text_features_equal_the_last_hidden_state(kata, extractor, encoder_reference, text):
    called = call("text_features", extractor, text)
    got = kata.text_features(extractor, text)
    expected = encoder_outputs(encoder_reference, [text]).last_hidden_state
    note(f"tokens: {tokens_of(encoder_reference, [text])[0]}")
    problem = features_problem(got, expected, called,
                               "Expected AutoModel's last_hidden_state for the text, batch dimension included. "
                               "Did you return the pipeline's whole result for the text?")
    assert problem is None, problem


@task(3)
@given(texts=text_batches())
@example(texts=["hi", "the quick brown fox"])
def test_batch_features_equal_each_texts_own_last_hidden_state(kata, extractor, encoder_reference, texts):
    called = call("batch_features", extractor, texts)
    got = kata.batch_features(extractor, texts)
    note(f"tokens: {tokens_of(encoder_reference, texts)}")
    check_one_tensor_per_text(called, got, texts, encoder_reference)


@task(3)
def test_batch_features_of_different_lengths_are_not_padded(kata, extractor, encoder_reference):
    texts = ["hi", "the quick brown fox jumps over the lazy dog"]
    check_one_tensor_per_text(call("batch_features", extractor, texts), kata.batch_features(extractor, texts),
                              texts, encoder_reference)


def check_one_tensor_per_text(called, got, texts, encoder_reference):
    problem = wrong_type(got, (list, tuple), called, "Return a list with one tensor per text.")
    assert problem is None, problem
    assert len(got) == len(texts), (f"{called} returned {len(got)} items for {len(texts)} texts; "
                                    "expected one tensor per text, in order.")
    for index, (features, text) in enumerate(zip(got, texts, strict=True)):
        expected = encoder_outputs(encoder_reference, [text]).last_hidden_state
        problem = features_problem(features, expected, f"{called}[{index}]",
                                   "Expected the features of this text alone, as long as its own tokens. "
                                   "Did you set batch_size? Batching pads every text to the longest one.")
        assert problem is None, problem


@task(4)
@given(text=prompts())
@example(text="Hello world")
def test_backbone_features_of_a_causal_lm_are_its_hidden_states_not_logits(kata, gpt2, gpt2_reference, text):
    called = call("backbone_features", gpt2.tokenizer, gpt2.model, text)
    got = kata.backbone_features(gpt2.tokenizer, gpt2.model, text)
    expected = backbone_last_hidden_state(gpt2_reference, text)
    vocab_size = gpt2_reference.model.config.vocab_size
    logits_advice = (f"A last dimension of {vocab_size} (the vocabulary size) means logits: the pipeline "
                     "returns the first output of the model it runs, and this model has a language-modelling "
                     "head. Which attribute holds the bare model beneath the head?")
    problem = features_problem(got, expected, called, logits_advice)
    assert problem is None, problem


@task(4)
def test_backbone_features_of_a_bare_encoder_are_its_last_hidden_state(kata, encoder, encoder_reference):
    text = "Hello world, 안녕"
    called = call("backbone_features", encoder.tokenizer, encoder.model, text)
    got = kata.backbone_features(encoder.tokenizer, encoder.model, text)
    expected = backbone_last_hidden_state(encoder_reference, text)
    problem = features_problem(got, expected, called,
                               "A bare encoder has no head: its first output is already last_hidden_state. "
                               "Does your way to the bare model work for every architecture, not just one?")
    assert problem is None, problem
