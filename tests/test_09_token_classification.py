"""Kata 9, token classification: per-token labels and grouped entities equal the token-classification pipeline's.

Texts are tagger-shaped sentences about people and places it never saw, and free ASCII text, where its guesses
(a B- after a B-, an I- after an O, a type change inside a word) make the grouping rules matter. Each task also
runs on the tagger changed in memory: its labels renamed as WNUT 16 names them (a type with a hyphen of its own,
"geo-loc") and in another id order, so that label names and types must come from the model's config as it is.
"""

import random
import string

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from katakit.explain import call, mismatch, noted, structure_problem, wrong_type
from katakit.fixtures import fresh, load, reference, relabelled_in_memory, task_pipeline
from katakit.i18n import N_, _
from katakit.strategies import ascii_texts, ner_sentences
from katakit.unchanged import keep
from katakit.zoo.corpus import NER_TEMPLATES, invented_name

task = pytest.mark.task
# In the order a failure message explains them: the first key that differs points at the likeliest mistake.
ENTITY_KEYS = ("entity", "word", "start", "end", "score")
GROUP_KEYS = ("entity_group", "start", "end", "word", "score")
# The tagger's labels renamed (WNUT 16's names); its ids reversed, "O" last.
RENAMED = {"O": "O", "B-PER": "B-person", "I-PER": "I-person", "B-LOC": "B-geo-loc", "I-LOC": "I-geo-loc"}
REVERSED = list(reversed(range(len(RENAMED))))  # the label ids in another order, the head's rows to match


def texts():
    return st.one_of(ner_sentences(), ascii_texts())


@pytest.fixture(scope="session")
def reference_tagger(ner_dir):
    """The token-classification pipeline on the tagger: what the learner's functions must equal."""
    return reference(task_pipeline, ner_dir, "token-classification")


@pytest.fixture
def relabelled(ner):
    """A fresh tagger for the learner, relabelled in memory."""
    return relabelled_in_memory(ner, RENAMED, REVERSED)


@pytest.fixture(scope="session")
def relabelled_tagger(ner_dir):
    """The pipeline on another copy of the tagger, relabelled in memory the same way."""
    from transformers import pipeline

    reference = relabelled_in_memory(fresh(load, ner_dir, "AutoModelForTokenClassification"), RENAMED, REVERSED)
    return pipeline("token-classification", model=reference.model, tokenizer=reference.tokenizer)


RELABELLED = N_(
    "The tagger was changed in memory: its labels renamed and in another id order, "
    "{labels}. Take each label's name from model.config.id2label of the model you are "
    "given, not from a list of your own."
)


def relabelled_why() -> str:
    """RELABELLED in the learner's language, then a space: the advice of a failure follows it."""
    return _(RELABELLED, labels=sorted(RENAMED.values())) + " "


def relabelled_texts(rule_examples, count: int | None = None) -> list[str]:
    """A tagger-shaped sentence, then the texts where each grouping rule matters: `count` of them, or all."""
    return ["Kofi lives in Rome", *sorted(set(rule_examples.values()))][:count]


def plain(entity: dict, keys) -> dict:
    """The pipeline's entity as the statement promises it, only `keys`: Python floats for its scores (numpy floats
    in the pipeline), ints for the span."""
    kinds = {"score": float, "start": int, "end": int}
    return {key: kinds.get(key, str)(entity[key]) for key in keys}


def list_of_dicts_problem(got, expected, keys, called) -> str | None:
    """A message if `got` is not a list of dicts with `keys`, each item of the types `expected`'s has, else None."""
    problem = wrong_type(got, list, called, _("Return a list with one dict per entity."))
    if problem:
        return problem
    for item in got:
        if not isinstance(item, dict) or not set(keys) <= set(item):
            return _(
                "{call} returned a list holding {item}; expected dicts with the keys {keys}.",
                call=called,
                item=repr(item),
                keys=", ".join(keys),
            )
    for index, (mine, theirs) in enumerate(zip(got, expected, strict=False)):
        problem = structure_problem(mine, theirs, called, f"[{index}]")
        if problem:
            return problem + " " + _("Each dict holds the keys the statement lists, of the types it promises.")
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


def check_token_labels(kata, loaded, tagger, text, why: str = "") -> None:
    called = call("token_labels", loaded.tokenizer, loaded.model, text)
    kept = keep(model=loaded.model)
    got = kata.token_labels(loaded.tokenizer, loaded.model, text)
    problem = kept.changed(called)
    assert problem is None, problem
    expected = [(entity["word"], entity["entity"]) for entity in tagger(text, ignore_labels=[])]
    noted(f"config.id2label: {tagger.model.config.id2label}")
    problem = wrong_type(got, list, called, _("Return a list of (token, label) pairs."))
    assert problem is None, problem
    if len(got) == len(expected):
        problem = structure_problem(got, expected, called)
        assert problem is None, _("{problem} Each pair is a tuple (token, label name), two strs.", problem=problem)
    assert got == expected, mismatch(called, got, expected, why + token_labels_advice(got, tagger))


@task(1)
@given(text=texts())
@example(text="Kofi lives in Rome")
def test_token_labels_are_the_pipelines_labels_for_every_token(kata, ner, reference_tagger, text):
    check_token_labels(kata, ner, reference_tagger, text)


@task(1)
def test_token_labels_name_labels_by_the_config_of_the_model_given(kata, relabelled, relabelled_tagger, rule_examples):
    for text in relabelled_texts(rule_examples, count=2):
        check_token_labels(kata, relabelled, relabelled_tagger, text, relabelled_why())


def token_labels_advice(got, tagger) -> str:
    specials = set(tagger.tokenizer.all_special_tokens)
    if any(pair[0] in specials for pair in got if isinstance(pair, tuple) and pair):
        return _(
            "[CLS] and [SEP] are the tokenizer's, not the text's: leave them out "
            "(the special tokens mask, or the tokenizer's word ids, tell where they are)."
        )
    labels = set(tagger.model.config.id2label.values())
    if any(isinstance(pair, tuple) and len(pair) == 2 and pair[1] not in labels for pair in got):
        return _(
            "Expected label names, one of {labels}: the argmax of a token's logits is a label id, "
            "and model.config.id2label names it.",
            labels=sorted(labels),
        )
    return _(
        "Expected, for each token of the text, the label whose logit is the largest in that token's row "
        "(the argmax over the labels, the last dimension), named by model.config.id2label."
    )


# Task 2: the pipeline's per-token entities.


def check_token_entities(kata, loaded, tagger, text, ignore_labels, why: str = "") -> None:
    if ignore_labels is None:  # the default: what the pipeline leaves out when not told
        called = call("token_entities", loaded.tokenizer, loaded.model, text)
        kept = keep(model=loaded.model)
        got = kata.token_entities(loaded.tokenizer, loaded.model, text)
        expected = [plain(entity, ENTITY_KEYS) for entity in tagger(text)]
    else:
        called = call("token_entities", loaded.tokenizer, loaded.model, text, ignore_labels=ignore_labels)
        kept = keep(model=loaded.model, ignore_labels=ignore_labels)
        got = kata.token_entities(loaded.tokenizer, loaded.model, text, ignore_labels=ignore_labels)
        expected = [plain(entity, ENTITY_KEYS) for entity in tagger(text, ignore_labels=list(ignore_labels))]
    problem = kept.changed(called)
    assert problem is None, problem
    noted(_("tokens: {tokens}", tokens=tagger.tokenizer.tokenize(text)))
    problem = list_of_dicts_problem(got, expected, ENTITY_KEYS, called)
    assert problem is None, problem
    difference = first_difference(got, expected, ENTITY_KEYS)
    assert difference is None, mismatch(called, got, expected, why + token_entities_advice(*difference, got, expected))


@task(2)
@given(text=texts(), ignore_labels=st.sampled_from([None, (), ("O",), ["O", "I-PER"]]))
@example(text="Kofi lives in Rome", ignore_labels=None)
@example(text="x Ann y", ignore_labels=())
@example(text="Kofi lives in Rome", ignore_labels=())  # keeps the O tokens the default leaves out
@example(text="Kofi lives in Rome", ignore_labels=["O", "I-PER"])  # a list, which must stay as it was
def test_token_entities_equal_the_pipeline_without_aggregation(kata, ner, reference_tagger, text, ignore_labels):
    check_token_entities(kata, ner, reference_tagger, text, ignore_labels)


@task(2)
@pytest.mark.parametrize("ignore_labels", [None, ()], ids=["default", "none-ignored"])
def test_token_entities_name_labels_by_the_config_of_the_model_given(
    kata, relabelled, relabelled_tagger, rule_examples, ignore_labels
):
    for text in relabelled_texts(rule_examples, count=2):
        check_token_entities(kata, relabelled, relabelled_tagger, text, ignore_labels, relabelled_why())


def token_entities_advice(index: int, key: str, got, expected) -> str:
    if key:
        where = _("Entity {index} differs in {key}.", index=index, key=repr(key))
    else:
        where = _("{got} entities; expected {expected}.", got=len(got), expected=len(expected))
    return (
        where
        + " "
        + {
            "": _(
                "Expected one entity per token of the text, [CLS] and [SEP] left out, and no token whose label is in "
                'ignore_labels (by default the pipeline leaves out "O", the label of everything that is no entity).'
            ),
            "entity": _("Expected the label name from model.config.id2label of the argmax of the token's logits."),
            "score": _(
                "Expected the probability of the token's label: the softmax of that token's logits over the labels "
                "(the last dimension), not over the tokens, and not the raw logit."
            ),
            "word": _("Expected the token itself, as tokenizer.convert_ids_to_tokens gives it ('##' pieces included)."),
            "start": _("Expected the token's character span of the text: the tokenizer's return_offsets_mapping=True."),
            "end": _("Expected the token's character span of the text: the tokenizer's return_offsets_mapping=True."),
        }[key]
    )


# Task 3: grouped entities.


def pairs(labels):
    return zip(labels, labels[1:], strict=False)


# Label sequences on which a grouping rule of aggregation_strategy="simple" matters: (id, what it is, whether the
# token labels of a text show it). A label's type is label[2:], which is "" for O. What it is: N_, translated where
# shown.
GROUPING_RULES = (
    (
        "B-after-same-type",
        N_("a B- label right after a token of the same type"),
        lambda labels: any(label.startswith("B-") and before[2:] == label[2:] for before, label in pairs(labels)),
    ),
    (
        "I-after-O",
        N_("an I- label right after an O"),
        lambda labels: any(before == "O" and label.startswith("I-") for before, label in pairs(labels)),
    ),
    (
        "same-type-around-O",
        N_("the same type on both sides of an O"),
        lambda labels: any(
            middle == "O" and after.startswith("I-") and before[2:] == after[2:]
            for before, middle, after in zip(labels, labels[1:], labels[2:], strict=False)
        ),
    ),
    (
        "I-after-B-of-other-type",
        N_("an I- label right after a B- label of another type"),
        lambda labels: any(
            before.startswith("B-") and label.startswith("I-") and before[2:] != label[2:]
            for before, label in pairs(labels)
        ),
    ),
)


def lookalike_texts(count: int = 300):
    """Texts of the tagger's template words, invented names and stray letters, in a fixed order. Its guesses on
    them make the grouping rules matter; on which of them depends on the build (the zoo seed)."""
    rng = random.Random(0)
    words = sorted({word for template in NER_TEMPLATES for word in template.split() if "{" not in word})
    for _text_number in range(count):
        yield " ".join(
            invented_name(rng)
            if rng.random() < 0.5
            else rng.choice(words)
            if rng.random() < 0.6
            else rng.choice(string.ascii_lowercase)
            for _ in range(rng.randint(2, 6))
        )


def rules_shown(tagger, text) -> list[tuple[str, str]]:
    """(id, description) of each grouping rule that the token labels of `text` show."""
    labels = [entity["entity"] for entity in tagger(text, ignore_labels=[])]
    return [(rule, description) for rule, description, shows in GROUPING_RULES if shows(labels)]


@pytest.fixture(scope="session")
def rule_examples(reference_tagger) -> dict[str, str]:
    """For each grouping rule, a lookalike text whose token labels show it, on this build of the tagger: the first
    that shows that rule alone, else the first that shows it with others (a failure then names them all)."""
    alone, with_others = {}, {}
    for text in lookalike_texts():
        shown = [rule for rule, _ in rules_shown(reference_tagger, text)]
        for rule in shown:
            (alone if len(shown) == 1 else with_others).setdefault(rule, text)
        if len(alone) == len(GROUPING_RULES):
            break
    return {**with_others, **alone}


def check_group_entities(kata, loaded, tagger, text, why: str = "") -> None:
    called = call("group_entities", loaded.tokenizer, loaded.model, text)
    kept = keep(model=loaded.model)
    got = kata.group_entities(loaded.tokenizer, loaded.model, text)
    problem = kept.changed(called)
    assert problem is None, problem
    expected = [plain(group, GROUP_KEYS) for group in tagger(text, aggregation_strategy="simple")]
    labels = [(entity["word"], entity["entity"]) for entity in tagger(text, ignore_labels=[])]
    problem = list_of_dicts_problem(got, expected, GROUP_KEYS, called)
    assert problem is None, problem
    difference = first_difference(got, expected, GROUP_KEYS)
    assert difference is None, mismatch(
        called,
        got,
        expected,
        _("The tokens' labels: {labels}.", labels=labels) + "\n" + why + group_advice(*difference, got, expected),
    )


@task(3)
@given(text=texts())
@example(text="Kofi lives in Rome")
def test_group_entities_equal_the_pipelines_simple_aggregation(kata, ner, reference_tagger, text):
    check_group_entities(kata, ner, reference_tagger, text)


@task(3)
@pytest.mark.parametrize(
    ("rule", "description"), [rule[:2] for rule in GROUPING_RULES], ids=[rule[0] for rule in GROUPING_RULES]
)
def test_group_entities_equal_the_pipeline_where_each_grouping_rule_matters(
    kata, ner, reference_tagger, rule_examples, rule, description
):
    assert rule in rule_examples, f"the zoo tagger shows {description} on none of the lookalike texts"
    text = rule_examples[rule]
    shown = [_(held) for _rule, held in rules_shown(reference_tagger, text)]  # the rule, maybe others too
    held = shown[0]
    for more in shown[1:]:
        held = _("{first} and {second}", first=held, second=more)
    check_group_entities(kata, ner, reference_tagger, text, _("They hold {held}.", held=held) + " ")


@task(3)
def test_group_entities_take_types_from_the_config_of_the_model_given(
    kata, relabelled, relabelled_tagger, rule_examples
):
    for text in relabelled_texts(rule_examples):
        check_group_entities(
            kata,
            relabelled,
            relabelled_tagger,
            text,
            relabelled_why()
            + _('A type is the label without its B- or I- prefix: "B-geo-loc" is of type "geo-loc".')
            + " ",
        )


def group_advice(index: int, key: str, got, expected) -> str:
    if key:
        where = _("Entity {index} differs in {key}.", index=index, key=repr(key))
    else:
        where = _("{got} entities; expected {expected}.", got=len(got), expected=len(expected))
    return (
        where
        + " "
        + {
            "": _(
                "A token continues the entity before it only if its type (PER, LOC) is the same and its label is "
                "not B-; an O token ends an entity; O groups are left out."
            ),
            "entity_group": _("Expected the type alone, the label without its B- or I- prefix."),
            "score": _("Expected the mean of the scores of the entity's tokens."),
            "word": _(
                "Expected the entity's tokens joined by tokenizer.convert_tokens_to_string, which glues '##' pieces."
            ),
            "start": _("Expected the start of the entity's first token: does each entity begin where the labels say?"),
            "end": _("Expected the end of the entity's last token: does each entity end where the labels say?"),
        }[key]
    )
