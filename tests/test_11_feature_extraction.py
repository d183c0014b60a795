"""Kata 11, feature extraction: the pipeline's features equal AutoModel's last hidden state.

The encoder tests run on two encoder sizes, so a shape copied from one model's numbers shows; task 4 runs on
both causal LMs, GPT-2-style and Llama-style, whose bare models sit under different attribute names.
"""

import pytest
from hypothesis import example, given, note

from katakit.explain import call, structure_problem, tensor_problem, wrong_type
from katakit.fixtures import loaded_and_changed
from katakit.i18n import N_, _
from katakit.reference import backbone_last_hidden_state, encoder_outputs, same_weights
from katakit.strategies import prompts, text_batches
from katakit.unchanged import keep

task = pytest.mark.task
SHAPE = N_("(1, number of tokens, config.hidden_size)")
AS_TENSOR = N_(
    "The pipeline returns nested Python lists by default: convert them to a tensor, "
    "or ask the pipeline for tensors (return_tensors=True)."
)
# Upper case, an apostrophe, punctuation and Korean, of different lengths.
MIXED_TEXTS = ["Hi!", "It's a quick fox, isn't it?", "안녕, 'Hello' world"]
IN_MEMORY = N_("{call} on a model changed in memory (its input embeddings scaled by 3, nothing saved)")
IN_MEMORY_ADVICE = N_(
    "This model differs from the one saved in its folder, so its features differ too. Build the "
    "pipeline on the model object you are given: a pipeline built from model.name_or_path loads "
    "the saved model again and undoes the caller's change."
)


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

    return wrong_type(got, torch.Tensor, called, _(AS_TENSOR)) or tensor_problem(
        got, expected, called, _(SHAPE), advice
    )


@task(1)
def test_build_extractor_returns_a_feature_extraction_pipeline_on_the_saved_encoder(
    kata, encoder_dir, encoder_reference
):
    from transformers import FeatureExtractionPipeline

    called = call("build_extractor", str(encoder_dir))
    extractor = kata.build_extractor(encoder_dir)
    problem = wrong_type(
        extractor,
        FeatureExtractionPipeline,
        called,
        _("Which task name does pipeline() take to return a model's hidden states?"),
    )
    assert problem is None, problem
    expected_class = type(encoder_reference.model).__name__
    assert type(extractor.model).__name__ == expected_class, _(
        "{call} gave a pipeline on a {model_class}; expected the bare {expected_class} "
        "that the folder holds. Did you pass the folder as model=...?",
        call=called,
        model_class=type(extractor.model).__name__,
        expected_class=expected_class,
    )
    assert same_weights(extractor.model, encoder_reference.model), _(
        "{call} gave a pipeline whose model has other weights than the one saved in the folder. "
        "Did you pass the folder as model=...?",
        call=called,
    )
    assert not extractor.model.training, _(
        "{call} gave a pipeline whose model is in training mode; from_pretrained and pipeline() give eval mode.",
        call=called,
    )


def nested_close(got, expected) -> bool:
    """Whether two equally built nested lists of floats hold the same numbers, up to rounding."""
    import torch

    return torch.allclose(torch.tensor(got), torch.tensor(expected), atol=1e-5, rtol=1e-4)


@task(1)
def test_build_extractor_behaves_like_the_default_pipeline_of_the_task(kata, encoder_dir):
    called = call("build_extractor", str(encoder_dir))
    extractor = kata.build_extractor(encoder_dir)
    default = feature_extractor(encoder_dir)
    # Called with no options, as a learner would call any feature-extraction pipeline: nothing may be baked in.
    for argument in (MIXED_TEXTS[1], list(MIXED_TEXTS)):
        shown = _("{call}, then called on {argument}", call=called, argument=repr(argument))
        got, expected = extractor(argument), default(argument)
        problem = structure_problem(got, expected, shown)
        assert problem is None, _(
            "{problem} The library's feature-extraction pipeline, called with no options, gives nested lists: "
            "one list of token vectors per text, each as long as that text alone. Did you bake options into "
            "pipeline() (return_tensors, batch_size, ...)? Build it with the task and the folder only.",
            problem=problem,
        )
        for index, (mine, theirs) in enumerate(
            zip(got, expected, strict=True) if isinstance(argument, list) else [(got, expected)]
        ):
            assert nested_close(mine, theirs), _(
                "{call}: the features of text {index} are other numbers than the library's default pipeline "
                "gives. Build it with the task and the folder only.",
                call=shown,
                index=index,
            )


@task(2)
@given(text=prompts())
@example(text="Hello world")
@example(text=MIXED_TEXTS[1])
def test_text_features_equal_the_last_hidden_state(kata, extractor, encoder_reference, text):
    called = call("text_features", extractor, text)
    kept = keep(model=extractor.model)
    got = kata.text_features(extractor, text)
    problem = kept.changed(called)
    assert problem is None, problem
    expected = encoder_outputs(encoder_reference, [text]).last_hidden_state
    note(_("tokens: {tokens}", tokens=tokens_of(encoder_reference, [text])[0]))
    problem = features_problem(
        got,
        expected,
        called,
        _(
            "Expected AutoModel's last_hidden_state for the text, batch dimension included. "
            "Did you return the pipeline's whole result for the text?"
        ),
    )
    assert problem is None, problem


@task(2)
def test_text_features_use_the_pipelines_model(kata, encoder_dir):
    from transformers import pipeline

    mine, theirs = loaded_and_changed(encoder_dir, "AutoModel")
    extractor = pipeline("feature-extraction", model=mine.model, tokenizer=mine.tokenizer)
    text = MIXED_TEXTS[2]
    called = _(IN_MEMORY, call=call("text_features", extractor, text))
    got = kata.text_features(extractor, text)
    expected = encoder_outputs(theirs, [text]).last_hidden_state
    problem = features_problem(got, expected, called, _("Call the extractor you are given, as it is."))
    assert problem is None, problem


@task(3)
@given(texts=text_batches())
@example(texts=["hi", "the quick brown fox"])
@example(texts=MIXED_TEXTS)
def test_batch_features_equal_each_texts_own_last_hidden_state(kata, extractor, encoder_reference, texts):
    texts = list(texts)  # the learner's own list: an explicit example's list is shared by every run of it
    called = call("batch_features", extractor, texts)
    kept = keep(texts=texts)
    got = kata.batch_features(extractor, texts)
    problem = kept.changed(called)
    assert problem is None, problem
    note(_("tokens: {tokens}", tokens=tokens_of(encoder_reference, texts)))
    check_one_tensor_per_text(called, got, texts, encoder_reference)


@task(3)
def test_batch_features_of_different_lengths_are_not_padded(kata, extractor, encoder_reference):
    texts = ["hi", "the quick brown fox jumps over the lazy dog"]
    check_one_tensor_per_text(
        call("batch_features", extractor, texts), kata.batch_features(extractor, texts), texts, encoder_reference
    )


def check_one_tensor_per_text(called, got, texts, encoder_reference):
    problem = wrong_type(got, (list, tuple), called, _("Return a list with one tensor per text."))
    assert problem is None, problem
    assert len(got) == len(texts), _(
        "{call} returned {items} items for {texts} texts; expected one tensor per text, in order.",
        call=called,
        items=len(got),
        texts=len(texts),
    )
    for index, (features, text) in enumerate(zip(got, texts, strict=True)):
        expected = encoder_outputs(encoder_reference, [text]).last_hidden_state
        problem = features_problem(
            features,
            expected,
            f"{called}[{index}]",
            _(
                "Expected the features of this text alone, as long as its own tokens. "
                "Did you set batch_size? Batching pads every text to the longest one."
            ),
        )
        assert problem is None, problem


def logits_advice(reference) -> str:
    return _(
        "A last dimension of {vocab_size} (the vocabulary size) means logits: the "
        "pipeline returns the first output of the model it runs, and this model has a language-modelling "
        "head. Which attribute holds the bare model beneath the head, whatever the architecture calls it "
        "(GPT-2 `transformer`, Llama `model`)?",
        vocab_size=reference.model.config.vocab_size,
    )


@task(4)
@given(text=prompts())
@example(text="Hello world")
@example(text=MIXED_TEXTS[1])
def test_backbone_features_of_a_causal_lm_are_its_hidden_states_not_logits(kata, causal_lm, causal_lm_reference, text):
    called = call("backbone_features", causal_lm.tokenizer, causal_lm.model, text)
    kept = keep(model=causal_lm.model)
    got = kata.backbone_features(causal_lm.tokenizer, causal_lm.model, text)
    problem = kept.changed(called)
    assert problem is None, problem
    expected = backbone_last_hidden_state(causal_lm_reference, text)
    problem = features_problem(got, expected, called, logits_advice(causal_lm_reference))
    assert problem is None, problem


@task(4)
def test_backbone_features_use_the_model_as_given(kata, causal_lm_dir):
    mine, theirs = loaded_and_changed(causal_lm_dir, "AutoModelForCausalLM")
    text = MIXED_TEXTS[2]
    called = _(IN_MEMORY, call=call("backbone_features", mine.tokenizer, mine.model, text))
    got = kata.backbone_features(mine.tokenizer, mine.model, text)
    expected = backbone_last_hidden_state(theirs, text)
    problem = features_problem(got, expected, called, _(IN_MEMORY_ADVICE))
    assert problem is None, problem


@task(4)
def test_backbone_features_of_a_bare_encoder_are_its_last_hidden_state(kata, encoder, encoder_reference):
    text = "Hello world, 안녕"
    called = call("backbone_features", encoder.tokenizer, encoder.model, text)
    got = kata.backbone_features(encoder.tokenizer, encoder.model, text)
    expected = backbone_last_hidden_state(encoder_reference, text)
    problem = features_problem(
        got,
        expected,
        called,
        _(
            "A bare encoder has no head: its first output is already last_hidden_state. "
            "Does your way to the bare model work for every architecture, not just one?"
        ),
    )
    assert problem is None, problem
