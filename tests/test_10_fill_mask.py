"""Kata 10, masked language modelling: mask positions, top-k fills and filled-in texts equal the fill-mask pipeline's.

Every test runs twice: with the masked LM's own tokenizer, whose mask token is "[MASK]", and with the same tokenizer
with its mask token spelt "<mask>", as RoBERTa spells it (same id, same model), so a hard-coded "[MASK]" shows.
"""

import pytest
import torch
from hypothesis import example, given
from hypothesis import strategies as st

from katakit.explain import call, mismatch, noted, structure_problem, wrong_type
from katakit.fixtures import Loaded, fresh, load
from katakit.i18n import N_, _
from katakit.strategies import MASK_SLOT, masked_corpus_lines
from katakit.unchanged import keep

task = pytest.mark.task
FILL_KEYS = ("token", "token_str", "score", "sequence")
ROBERTA_MASK = "<mask>"
# Masks where mistakes show: the first token of the text, its last one (right before [SEP]), two side by side.
EDGE_LINES = (
    f"{MASK_SLOT} world, this is a tiny language model.",
    f"Hello world, this is a tiny language {MASK_SLOT}",
    f"Hello {MASK_SLOT} {MASK_SLOT} is a tiny language model.",
)


@pytest.fixture(scope="session", params=["[MASK]", ROBERTA_MASK], ids=["bert-mask", "roberta-style-mask"])
def tokenizer_dir(request, masked_lm_dir, tmp_path_factory):
    """A folder of the masked LM's tokenizer files, with the mask token spelt `request.param`."""
    if request.param == "[MASK]":
        return masked_lm_dir
    folder = tmp_path_factory.mktemp("roberta-style-mask")
    for path in masked_lm_dir.glob("tokenizer*"):
        (folder / path.name).write_text(
            path.read_text(encoding="utf-8").replace("[MASK]", ROBERTA_MASK), encoding="utf-8"
        )
    return folder


@pytest.fixture(scope="session")
def reference_filler(tokenizer_dir, masked_lm_reference):
    """The fill-mask pipeline on the reference model, with the tokenizer of this mask spelling."""
    from transformers import AutoTokenizer, pipeline

    tokenizer = AutoTokenizer.from_pretrained(tokenizer_dir)
    return pipeline("fill-mask", model=masked_lm_reference.model, tokenizer=tokenizer)


@pytest.fixture
def filler(tokenizer_dir, masked_lm) -> Loaded:
    """A fresh tokenizer of this mask spelling and a fresh masked LM, for the learner."""
    from transformers import AutoTokenizer

    return Loaded(AutoTokenizer.from_pretrained(tokenizer_dir), masked_lm.model)


def changed_in_memory(model):
    """`model` with its output bias raised for a third of the vocabulary (every third id), in memory only: the
    fills differ from those of the model saved in the folder."""
    with torch.no_grad():
        model.get_output_embeddings().bias[::3] += 4.0
    return model


@pytest.fixture
def changed(tokenizer_dir, masked_lm_dir, masked_lm) -> tuple[Loaded, object]:
    """A fresh masked LM changed in memory for the learner, and the pipeline on another copy changed the same way."""
    from transformers import AutoTokenizer, pipeline

    reference = fresh(load, masked_lm_dir, "AutoModelForMaskedLM")
    reference_pipeline = pipeline(
        "fill-mask", model=changed_in_memory(reference.model), tokenizer=AutoTokenizer.from_pretrained(tokenizer_dir)
    )
    return Loaded(AutoTokenizer.from_pretrained(tokenizer_dir), changed_in_memory(masked_lm.model)), reference_pipeline


CHANGED = N_(
    "The model was changed in memory (its output bias raised for some tokens), not on disk: use the model "
    "object you are given."
)


def with_masks(line: str, tokenizer) -> str:
    return line.replace(MASK_SLOT, tokenizer.mask_token)


def tokens_of(reference_filler, text) -> list[str]:
    tokenizer = reference_filler.tokenizer
    return tokenizer.convert_ids_to_tokens(tokenizer(text)["input_ids"])


# Task 1: where the masks are.


@task(1)
@given(line=masked_corpus_lines(max_masks=2))
@example(line=f"Hello {MASK_SLOT}, this is a tiny language model.")
@example(line=f"Hello {MASK_SLOT}, this is a {MASK_SLOT} language model.")  # more than one
@example(line=EDGE_LINES[0])
@example(line=EDGE_LINES[1])
@example(line=EDGE_LINES[2])
def test_mask_positions_are_where_the_tokens_are_the_mask_token(kata, filler, reference_filler, line):
    text = with_masks(line, filler.tokenizer)
    called = call("mask_positions", filler.tokenizer, text)
    got = kata.mask_positions(filler.tokenizer, text)
    tokens = tokens_of(reference_filler, text)
    expected = [index for index, token in enumerate(tokens) if token == reference_filler.tokenizer.mask_token]
    noted(_("tokens: {tokens}", tokens=tokens))
    problem = wrong_type(got, list, called, _("Return a list of ints (.tolist() turns a tensor into one)."))
    assert problem is None, problem
    if len(got) == len(expected):
        problem = structure_problem(got, expected, called)
        assert problem is None, problem
    assert got == expected, mismatch(
        called,
        got,
        expected,
        _(
            "The tokens are {tokens}. Expected the positions of the tokenizer's own mask token, "
            "{mask_token} here (id {mask_token_id}): other models "
            "spell it otherwise, so use tokenizer.mask_token_id, not a string. [CLS] is position 0, and the positions "
            "count tokens, not words.",
            tokens=tokens,
            mask_token=repr(reference_filler.tokenizer.mask_token),
            mask_token_id=reference_filler.tokenizer.mask_token_id,
        ),
    )


# Task 2: the top-k fills of one mask.


def plain_fills(fills: list[dict]) -> list[dict]:
    """The pipeline's fills as the statement promises them: int ids, str tokens and sequences, float scores."""
    kinds = {"token": int, "token_str": str, "score": float, "sequence": str}
    return [{key: kinds[key](fill[key]) for key in FILL_KEYS} for fill in fills]


def fills_problem(got, expected, called) -> str | None:
    problem = wrong_type(got, list, called, _("Return a list with one dict per candidate token."))
    if problem:
        return problem
    if len(got) != len(expected) or not all(isinstance(fill, dict) and set(FILL_KEYS) <= set(fill) for fill in got):
        return mismatch(
            called,
            got,
            expected,
            _(
                "Expected a list of {count} dicts with the keys {keys}.",
                count=len(expected),
                keys=", ".join(FILL_KEYS),
            ),
        )
    problem = structure_problem(got, expected, called)
    if problem:
        return _(
            "{problem} Each fill holds the keys {keys}: the id as an int, the strings as "
            "strs, the score as a float (the pipeline's own types).",
            problem=problem,
            keys=", ".join(FILL_KEYS),
        )
    for key, advice in FILL_ADVICE.items():
        for mine, theirs in zip(got, expected, strict=True):
            same = abs(mine[key] - theirs[key]) <= 1e-5 if key == "score" else mine[key] == theirs[key]
            if not same:
                return mismatch(called, got, expected, _("{key} differs. {advice}", key=repr(key), advice=_(advice)))
    return None


FILL_ADVICE = {  # N_: translated where shown
    "token": N_(
        "Expected the ids of the k most probable tokens at the mask, the most probable first. Did you take the "
        "logits of the mask's position (not the first or the last), and sort in descending order?"
    ),
    "score": N_(
        "Expected each token's probability at the mask: the softmax of the mask's whole row of logits over the "
        "vocabulary (the last dimension), not over the positions or the k best only, and not the raw logit."
    ),
    "token_str": N_("Expected the token decoded alone: tokenizer.decode([token id])."),
    "sequence": N_(
        "Expected the text's ids with the mask replaced by the token, decoded as text (lower case, as the "
        "tokenizer sees it): which decode option leaves [CLS] and [SEP] out?"
    ),
}


def check_top_k_fills(kata, loaded, reference_filler, line, k, why: str = "") -> None:
    text = with_masks(line, loaded.tokenizer)
    called = call("top_k_fills", loaded.tokenizer, loaded.model, text, k)
    kept = keep(model=loaded.model)
    got = kata.top_k_fills(loaded.tokenizer, loaded.model, text, k)
    problem = kept.changed(called)
    assert problem is None, problem
    expected = plain_fills(reference_filler(text, top_k=k))
    noted(_("tokens: {tokens}", tokens=tokens_of(reference_filler, text)))
    problem = fills_problem(got, expected, called)
    assert problem is None, why + problem


@task(2)
@given(line=masked_corpus_lines(), k=st.integers(min_value=1, max_value=6))
@example(line=f"Hello {MASK_SLOT}, this is a tiny language model.", k=3)
@example(line=EDGE_LINES[0], k=2)
@example(line=EDGE_LINES[1], k=4)
def test_top_k_fills_equal_the_fill_mask_pipeline(kata, filler, reference_filler, line, k):
    check_top_k_fills(kata, filler, reference_filler, line, k)


@task(2)
def test_top_k_fills_use_the_model_given_as_it_is(kata, changed):
    loaded, reference_pipeline = changed
    for line in (f"Hello {MASK_SLOT}, this is a tiny language model.", EDGE_LINES[1]):
        check_top_k_fills(kata, loaded, reference_pipeline, line, 5, _(CHANGED) + " ")


# Task 3: every mask filled in.


def filled_by_the_pipeline(reference_filler, text) -> str:
    """`text` with each mask replaced by the pipeline's best token for it, decoded without special tokens."""
    tokenizer = reference_filler.tokenizer
    predictions = reference_filler(text, top_k=1)
    per_mask = predictions if isinstance(predictions[0], list) else [predictions]  # one list per mask
    ids = tokenizer(text)["input_ids"]
    positions = [index for index, token_id in enumerate(ids) if token_id == tokenizer.mask_token_id]
    for position, best in zip(positions, per_mask, strict=True):
        ids[position] = best[0]["token"]
    return tokenizer.decode(ids, skip_special_tokens=True)


def check_fill_masks(kata, loaded, reference_filler, line, why: str = "") -> None:
    text = with_masks(line, loaded.tokenizer)
    called = call("fill_masks", loaded.tokenizer, loaded.model, text)
    kept = keep(model=loaded.model)
    got = kata.fill_masks(loaded.tokenizer, loaded.model, text)
    problem = kept.changed(called)
    assert problem is None, problem
    expected = filled_by_the_pipeline(reference_filler, text)
    noted(_("tokens: {tokens}", tokens=tokens_of(reference_filler, text)))
    problem = wrong_type(got, str, called, _("Return the filled-in text as a string (tokenizer.decode gives one)."))
    assert problem is None, problem
    if got == expected:
        return
    advice = _(
        "Expected the text's ids with every mask token replaced by the argmax of the logits at its own "
        "position, decoded without [CLS] and [SEP] (lower case, as the tokenizer sees the text). Did you find "
        "every mask, by the tokenizer's own mask token id?"
    )
    if got == filled_one_after_another(reference_filler, text):
        advice = _(
            "You filled the masks in one after another, calling the model again with the ones before filled "
            "in. The pipeline predicts every mask from one call of the model on the text with all its masks: "
            "each mask's token is the argmax of the logits at its own position in that one output."
        )
    raise AssertionError(mismatch(called, got, expected, why + advice))


def filled_one_after_another(reference_filler, text) -> str:
    """The plausible mistake: each mask filled in by another model call, on the text with the masks before it
    already filled in."""
    tokenizer, model = reference_filler.tokenizer, reference_filler.model
    ids = tokenizer(text, return_tensors="pt")["input_ids"]
    for position in (ids[0] == tokenizer.mask_token_id).nonzero().flatten().tolist():
        with torch.no_grad():
            ids[0, position] = model(input_ids=ids).logits[0, position].argmax()
    return tokenizer.decode(ids[0], skip_special_tokens=True)


@task(3)
@given(line=masked_corpus_lines(max_masks=3))
@example(line=f"Hello {MASK_SLOT}, this is a {MASK_SLOT} language model.")
# Each mask predicted with the other still masked, as the pipeline does, not once the other is filled in.
@example(line=f"{MASK_SLOT} world, this is a {MASK_SLOT} language model.")
@example(line=EDGE_LINES[1])
@example(line=EDGE_LINES[2])
def test_fill_masks_puts_the_best_token_at_every_mask(kata, filler, reference_filler, line):
    check_fill_masks(kata, filler, reference_filler, line)


@task(3)
def test_fill_masks_uses_the_model_given_as_it_is(kata, changed):
    loaded, reference_pipeline = changed
    for line in (f"Hello {MASK_SLOT}, this is a {MASK_SLOT} language model.", EDGE_LINES[0]):
        check_fill_masks(kata, loaded, reference_pipeline, line, _(CHANGED) + " ")
