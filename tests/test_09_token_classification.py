"""Kata 9, token classification: per-token labels and grouped entities equal the token-classification pipeline's.

Texts are tagger-shaped sentences about people and places it never saw, and free ASCII text, where its guesses
(a B- after a B-, an I- after an O, a type change inside a word) make the grouping rules matter.
"""

import pytest
from hypothesis import example, given, note
from hypothesis import strategies as st

from katakit.explain import call, mismatch, wrong_type
from katakit.strategies import ascii_texts, ner_sentences

task = pytest.mark.task
# In the order a failure message explains them: the first key that differs points at the likeliest mistake.
ENTITY_KEYS = ("entity", "word", "start", "end", "score")
GROUP_KEYS = ("entity_group", "start", "end", "word", "score")
# Sentences on which the tiny tagger's labels make each grouping rule matter (its guesses on names it never saw).
TRICKY = {
    "a B- label after the same type's B-": "x Ann y",
    "an I- label after an O": "Te Fiv lives in Ka",
    "the same type on both sides of an O": "Egidi Na met Viho Cib in Zo Ta",
    "an I- label after a B- label of another type": "Fet is where Tapi En was born",
}


def texts():
    return st.one_of(ner_sentences(), ascii_texts())


@pytest.fixture(scope="session")
def reference_tagger(ner_dir):
    """The token-classification pipeline on the tagger: what the learner's functions must equal."""
    from transformers import pipeline

    return pipeline("token-classification", model=str(ner_dir))


def plain(entity: dict, keys) -> dict:
    """The pipeline's entity with plain Python values (its scores are numpy floats), only `keys`."""
    return {key: float(entity[key]) if key == "score" else entity[key] for key in keys}


def list_of_dicts_problem(got, keys, called) -> str | None:
    problem = wrong_type(got, list, called, "Return a list with one dict per entity.")
    if problem:
        return problem
    for item in got:
        if not isinstance(item, dict) or not set(keys) <= set(item):
            return f"{called} returned a list holding {item!r}; expected dicts with the keys {', '.join(keys)}."
    return None


def first_difference(got: list[dict], expected: list[dict], keys) -> tuple[int, str] | None:
    """How two lists of entities differ: (index, key) of the first difference in the first key that differs in
    `keys` order, or key "" when their numbers differ."""
    if len(got) != len(expected):
        return 0, ""
    for key in keys:
        for index, (mine, theirs) in enumerate(zip(got, expected, strict=True)):
            same = abs(float(mine[key]) - theirs[key]) <= 1e-5 if key == "score" else mine[key] == theirs[key]
            if not same:
                return index, key
    return None


# Task 1: each token's label.

@task(1)
@given(text=texts())
@example(text="Kofi lives in Rome")
def test_token_labels_are_the_pipelines_labels_for_every_token(kata, ner, ner_reference, reference_tagger, text):
    called = call("token_labels", ner.tokenizer, ner.model, text)
    got = kata.token_labels(ner.tokenizer, ner.model, text)
    expected = [(entity["word"], entity["entity"]) for entity in reference_tagger(text, ignore_labels=[])]
    note(f"config.id2label: {ner_reference.model.config.id2label}")
    problem = wrong_type(got, list, called, "Return a list of (token, label) pairs.")
    assert problem is None, problem
    got = [tuple(pair) if isinstance(pair, (list, tuple)) else pair for pair in got]
    assert got == expected, mismatch(called, got, expected, token_labels_advice(got, ner_reference))


def token_labels_advice(got, ner_reference) -> str:
    specials = set(ner_reference.tokenizer.all_special_tokens)
    if any(pair[0] in specials for pair in got if isinstance(pair, tuple) and pair):
        return ("[CLS] and [SEP] are the tokenizer's, not the text's: leave them out "
                "(the special tokens mask, or the tokenizer's word ids, tell where they are).")
    labels = set(ner_reference.model.config.id2label.values())
    if any(isinstance(pair, tuple) and len(pair) == 2 and pair[1] not in labels for pair in got):
        return (f"Expected label names, one of {sorted(labels)}: the argmax of a token's logits is a label id, "
                "and model.config.id2label names it.")
    return ("Expected, for each token of the text, the label whose logit is the largest in that token's row "
            "(the argmax over the labels, the last dimension), named by model.config.id2label.")


# Task 2: the pipeline's per-token entities.

@task(2)
@given(text=texts(), ignore_labels=st.sampled_from([None, (), ("O",), ("O", "I-PER")]))
@example(text="Kofi lives in Rome", ignore_labels=None)
@example(text="x Ann y", ignore_labels=())
@example(text="Kofi lives in Rome", ignore_labels=())  # keeps the O tokens the default leaves out
def test_token_entities_equal_the_pipeline_without_aggregation(kata, ner, ner_reference, reference_tagger, text,
                                                               ignore_labels):
    if ignore_labels is None:  # the default: what the pipeline leaves out when not told
        called = call("token_entities", ner.tokenizer, ner.model, text)
        got = kata.token_entities(ner.tokenizer, ner.model, text)
        expected = [plain(entity, ENTITY_KEYS) for entity in reference_tagger(text)]
    else:
        called = call("token_entities", ner.tokenizer, ner.model, text, ignore_labels=ignore_labels)
        got = kata.token_entities(ner.tokenizer, ner.model, text, ignore_labels=ignore_labels)
        expected = [plain(entity, ENTITY_KEYS) for entity in reference_tagger(text, ignore_labels=list(ignore_labels))]
    note(f"tokens: {ner_reference.tokenizer.tokenize(text)}")
    problem = list_of_dicts_problem(got, ENTITY_KEYS, called)
    assert problem is None, problem
    difference = first_difference(got, expected, ENTITY_KEYS)
    assert difference is None, mismatch(called, got, expected, token_entities_advice(*difference, got, expected))


def token_entities_advice(index: int, key: str, got, expected) -> str:
    where = f"Entity {index} differs in {key!r}. " if key else f"{len(got)} entities; expected {len(expected)}. "
    return where + {
        "": ("Expected one entity per token of the text, [CLS] and [SEP] left out, and no token whose label is in "
             "ignore_labels (by default the pipeline leaves out \"O\", the label of everything that is no entity)."),
        "entity": "Expected the label name from model.config.id2label of the argmax of the token's logits.",
        "score": ("Expected the probability of the token's label: the softmax of that token's logits over the labels "
                  "(the last dimension), not over the tokens, and not the raw logit."),
        "word": "Expected the token itself, as tokenizer.convert_ids_to_tokens gives it ('##' pieces included).",
        "start": "Expected the token's character span of the text: the tokenizer's return_offsets_mapping=True.",
        "end": "Expected the token's character span of the text: the tokenizer's return_offsets_mapping=True.",
    }[key]


# Task 3: grouped entities.

@task(3)
@given(text=texts())
@example(text="Kofi lives in Rome")
@example(text=TRICKY["a B- label after the same type's B-"])
@example(text=TRICKY["an I- label after an O"])
@example(text=TRICKY["the same type on both sides of an O"])
@example(text=TRICKY["an I- label after a B- label of another type"])
def test_group_entities_equal_the_pipelines_simple_aggregation(kata, ner, ner_reference, reference_tagger, text):
    called = call("group_entities", ner.tokenizer, ner.model, text)
    got = kata.group_entities(ner.tokenizer, ner.model, text)
    expected = [plain(group, GROUP_KEYS) for group in reference_tagger(text, aggregation_strategy="simple")]
    labels = [(entity["word"], entity["entity"]) for entity in reference_tagger(text, ignore_labels=[])]
    problem = list_of_dicts_problem(got, GROUP_KEYS, called)
    assert problem is None, problem
    difference = first_difference(got, expected, GROUP_KEYS)
    assert difference is None, mismatch(called, got, expected,
                                        f"The tokens' labels: {labels}.\n" + group_advice(*difference, got, expected))


def group_advice(index: int, key: str, got, expected) -> str:
    where = f"Entity {index} differs in {key!r}. " if key else f"{len(got)} entities; expected {len(expected)}. "
    return where + {
        "": ("A token continues the entity before it only if its type (PER, LOC) is the same and its label is not B-; "
             "an O token ends an entity; O groups are left out."),
        "entity_group": "Expected the type alone, the label without its B- or I- prefix.",
        "score": "Expected the mean of the scores of the entity's tokens.",
        "word": "Expected the entity's tokens joined by tokenizer.convert_tokens_to_string, which glues '##' pieces.",
        "start": "Expected the start of the entity's first token: does each entity begin where the labels say?",
        "end": "Expected the end of the entity's last token: does each entity end where the labels say?",
    }[key]
