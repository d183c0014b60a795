"""Kata 7, sentence embeddings: pooling, cosine similarity and ranking equal what the library's outputs give.

The encoder tests run on two encoder sizes, so a size copied from one model's numbers shows.
"""

import pytest
import torch
from hypothesis import example, given, note
from hypothesis import strategies as st

from katakit.explain import call, tensor_problem, wrong_type
from katakit.fixtures import loaded_and_changed
from katakit.i18n import N_, _
from katakit.reference import cosine_ranking, encoder_outputs, mean_of_token_vectors
from katakit.strategies import documents, prompts, seeds, text_batches
from katakit.unchanged import keep
from katakit.zoo.corpus import LINES

task = pytest.mark.task
SHAPE = N_("(number of texts, config.hidden_size)")
# Longer than any generated text, so that every other text of its batch gets padding.
LONG_TEXT = " ".join(LINES[:4])
# Upper case, an apostrophe, punctuation and Korean, of different lengths.
MIXED_TEXTS = ["Hi!", "It's a quick fox, isn't it?", "안녕, 'Hello' world"]
IN_MEMORY = N_("{call} on a model changed in memory (its input embeddings scaled by 3, nothing saved)")
IN_MEMORY_ADVICE = N_(
    "This model differs from the one saved in its folder, so its embeddings differ too. Use the "
    "model you are given as it is: loading it again (from model.name_or_path) undoes the caller's "
    "change."
)


def assert_unchanged(kept, called):
    problem = kept.changed(called)
    assert problem is None, problem


def close(got, expected) -> bool:
    """Whether `got` is a tensor like `expected`: to recognise a known mistake in a wrong result."""
    return (
        isinstance(got, torch.Tensor)
        and got.shape == expected.shape
        and torch.allclose(got.detach().float(), expected.float(), atol=1e-5, rtol=1e-4)
    )


def pooling_problem(got, expected, called, advice) -> str | None:
    """`tensor_problem` for embeddings of texts; `advice()` runs only on a failure, as it costs forward passes."""
    if tensor_problem(got, expected, called, _(SHAPE), "") is None:
        return None
    return tensor_problem(got, expected, called, _(SHAPE), advice())


# Task 1: mean pooling, padding left out.


@task(1)
@given(short_texts=text_batches(max_size=2))
@example(short_texts=["hi"])
def test_mean_pool_of_a_text_is_unchanged_by_padding_it_in_a_batch(kata, encoder, encoder_reference, short_texts):
    texts = [*short_texts, LONG_TEXT]
    called = call("mean_pool", encoder.tokenizer, encoder.model, texts)
    kept = keep(texts=texts, model=encoder.model)
    got = kata.mean_pool(encoder.tokenizer, encoder.model, texts)
    assert_unchanged(kept, called)
    expected = torch.stack([mean_of_token_vectors(encoder_reference, each) for each in texts])
    note(
        _(
            "lengths in tokens: {lengths}",
            lengths=[len(encoder_reference.tokenizer(each)["input_ids"]) for each in texts],
        )
    )
    problem = pooling_problem(got, expected, called, lambda: mean_pool_advice(got, encoder_reference, texts))
    assert problem is None, problem


@task(1)
def test_mean_pool_uses_the_model_it_is_given(kata, encoder_dir):
    mine, theirs = loaded_and_changed(encoder_dir, "AutoModel")
    texts = [*MIXED_TEXTS, LONG_TEXT]
    called = _(IN_MEMORY, call=call("mean_pool", mine.tokenizer, mine.model, texts))
    got = kata.mean_pool(mine.tokenizer, mine.model, texts)
    expected = torch.stack([mean_of_token_vectors(theirs, each) for each in texts])
    problem = tensor_problem(got, expected, called, _(SHAPE), _(IN_MEMORY_ADVICE))
    assert problem is None, problem


def mean_pool_advice(got, encoder_reference, texts) -> str:
    padding_counted = encoder_outputs(encoder_reference, texts).last_hidden_state.mean(dim=1)
    if close(got, padding_counted):
        return _(
            "That is the mean over every position, padding included: the shorter texts' embeddings change with "
            "the batch. Which tensor of the tokenizer's output marks the real tokens?"
        )
    return _(
        "Expected each text's mean token vector (its [CLS] and [SEP] included), the same as if the text went "
        "through the model alone. Did you pass the attention mask to the model, and average only where it is 1?"
    )


# Task 2: [CLS] pooling.


@task(2)
@given(texts=text_batches())
@example(texts=["hi", LONG_TEXT])
@example(texts=MIXED_TEXTS)
def test_cls_pool_is_the_last_hidden_state_of_the_first_token(kata, encoder, encoder_reference, texts):
    texts = list(texts)  # the learner's own list: an explicit example's list is shared by every run of it
    called = call("cls_pool", encoder.tokenizer, encoder.model, texts)
    kept = keep(texts=texts, model=encoder.model)
    got = kata.cls_pool(encoder.tokenizer, encoder.model, texts)
    assert_unchanged(kept, called)
    expected = encoder_outputs(encoder_reference, texts).last_hidden_state[:, 0]
    problem = pooling_problem(got, expected, called, lambda: cls_pool_advice(got, encoder_reference, texts))
    assert problem is None, problem


@task(2)
def test_cls_pool_uses_the_model_it_is_given(kata, encoder_dir):
    mine, theirs = loaded_and_changed(encoder_dir, "AutoModel")
    texts = [*MIXED_TEXTS, LONG_TEXT]
    called = _(IN_MEMORY, call=call("cls_pool", mine.tokenizer, mine.model, texts))
    got = kata.cls_pool(mine.tokenizer, mine.model, texts)
    expected = encoder_outputs(theirs, texts).last_hidden_state[:, 0]
    problem = tensor_problem(got, expected, called, _(SHAPE), _(IN_MEMORY_ADVICE))
    assert problem is None, problem


def cls_pool_advice(got, encoder_reference, texts) -> str:
    outputs = encoder_outputs(encoder_reference, texts)
    mistakes = (  # what the learner returned, if it is one of these
        (
            _("That is the mean of the token vectors (task 1), not the [CLS] vector."),
            lambda: torch.stack([mean_of_token_vectors(encoder_reference, each) for each in texts]),
        ),
        (
            _("That is a mean of the token vectors, padding included, not the [CLS] vector."),
            lambda: outputs.last_hidden_state.mean(dim=1),
        ),
        (
            _("That is pooler_output: [CLS] passed through the pooler layer, not its last hidden state."),
            lambda: outputs.pooler_output,
        ),
        (
            _("That is the last position of each row, which is [SEP] or padding, not [CLS]."),
            lambda: outputs.last_hidden_state[:, -1],
        ),
    )
    return next(
        (message for message, wrong in mistakes if close(got, wrong())),
        _("Expected last_hidden_state at position 0 of every row, where the tokenizer puts [CLS]."),
    )


# Task 3: cosine similarity.


def random_vectors(seed, count, hidden_size):
    """A query and `count` documents pointing anywhere, with lengths from about 0.05 to 20."""
    generator = torch.Generator().manual_seed(seed)
    vectors = torch.randn(count + 1, hidden_size, generator=generator)
    lengths = torch.exp(1.5 * torch.randn(count + 1, 1, generator=generator))
    vectors = vectors * lengths
    return vectors[0], vectors[1:]


@task(3)
@given(seed=seeds(), count=st.integers(1, 5), hidden_size=st.integers(2, 48))
@example(seed=0, count=3, hidden_size=32)
def test_cosine_similarities_equal_torch_cosine_similarity(kata, seed, count, hidden_size):
    query, docs = random_vectors(seed, count, hidden_size)
    called = _(
        "cosine_similarities(query of shape {query_shape}, documents of shape {documents_shape})",
        query_shape=tuple(query.shape),
        documents_shape=tuple(docs.shape),
    )
    kept = keep(query=query, documents=docs)
    got = kata.cosine_similarities(query, docs)
    problem = kept.changed(called)
    assert problem is None, problem + " " + _("Did you normalise them in place (/=, div_)?")
    expected = torch.nn.functional.cosine_similarity(query[None, :], docs, dim=-1)
    advice = (
        _("That is the plain dot product: longer vectors score higher. Divide by the lengths (norms) of both.")
        if close(got, docs @ query)
        else _("Expected cos(angle) = (query . document) / (|query| |document|) for every document.")
    )
    problem = tensor_problem(got, expected, called, _("(number of documents,)"), advice)
    assert problem is None, problem


@task(3)
def test_cosine_similarity_ignores_length_and_sees_direction(kata):
    query = torch.tensor([3.0, 4.0])
    docs = torch.tensor([[0.3, 0.4], [30.0, 40.0], [-6.0, -8.0], [-4.0, 3.0]])
    called = call("cosine_similarities", query.tolist(), docs.tolist())
    got = kata.cosine_similarities(query, docs)
    expected = torch.tensor([1.0, 1.0, -1.0, 0.0])
    problem = tensor_problem(
        got,
        expected,
        called,
        _("(number of documents,)"),
        _("The same direction gives 1 at any length, the opposite -1, a right angle 0."),
    )
    assert problem is None, problem


# Task 4: ranking.


def reference_ranking(encoder_reference, query, docs):
    embeddings = torch.stack([mean_of_token_vectors(encoder_reference, text) for text in (query, *docs)])
    return cosine_ranking(embeddings[0], embeddings[1:])


def ranking_problem(got, expected, similarities, called) -> str | None:
    """A message unless `got` lists every document once, each at least as similar as the next (ties either way)."""
    problem = wrong_type(got, list, called, _("Return a list of document indices (.tolist() turns a tensor into one)."))
    if problem:
        return problem
    for index in got:
        if type(index) is not int:
            return _(
                "{call} returned a list of {type}s; expected Python ints. list(tensor) "
                "gives one 0-dimensional tensor per item; tensor.tolist() gives Python ints.",
                call=called,
                type=type(index).__name__,
            )
    if sorted(got) != sorted(expected):
        return _(
            "{call} returned {got}; expected every index from 0 to {last} once, like {expected}.",
            call=called,
            got=got,
            last=len(expected) - 1,
            expected=expected,
        )
    scores = similarities.tolist()
    for higher, lower in zip(got, got[1:], strict=False):
        if scores[higher] < scores[lower] - 1e-5:
            return _(
                "{call} returned {got}, but document {lower} ({lower_similarity}) is more similar to the "
                "query than document {higher} ({higher_similarity}), which comes before it: expected {expected}. "
                "Most similar first: did you sort in descending order, by cosine similarity of mean-pooled "
                "embeddings?",
                call=called,
                got=got,
                lower=lower,
                lower_similarity=format(scores[lower], ".4f"),
                higher=higher,
                higher_similarity=format(scores[higher], ".4f"),
                expected=expected,
            )
    return None


@task(4)
@given(query=prompts(), docs=documents(max_size=3))
@example(query="a quick fox", docs=["hello world", "the quick brown fox"])
@example(query="H", docs=["H", "0"])  # a plain dot product puts the longer "0" first, cosine the query itself
def test_rank_documents_orders_them_like_the_reference_embeddings(kata, encoder, encoder_reference, query, docs):
    docs = list(docs)  # the learner's own list: an explicit example's list is shared by every run of it
    called = call("rank_documents", encoder.tokenizer, encoder.model, query, docs)
    kept = keep(documents=docs, model=encoder.model)
    got = kata.rank_documents(encoder.tokenizer, encoder.model, query, docs)
    assert_unchanged(kept, called)
    expected, similarities = reference_ranking(encoder_reference, query, docs)
    note(_("similarities: {similarities}", similarities=[round(s, 4) for s in similarities.tolist()]))
    problem = ranking_problem(got, expected, similarities, called)
    assert problem is None, problem


@task(4)
def test_a_document_equal_to_the_query_ranks_first(kata, encoder, encoder_reference):
    query, docs = LINES[1], [LINES[0], LINES[2], LINES[1], LINES[3]]
    called = call("rank_documents", encoder.tokenizer, encoder.model, query, docs)
    kept = keep(documents=docs)
    got = kata.rank_documents(encoder.tokenizer, encoder.model, query, docs)
    assert_unchanged(kept, called)
    expected, similarities = reference_ranking(encoder_reference, query, docs)
    problem = ranking_problem(got, expected, similarities, called)  # document 2 is the query itself: similarity 1
    assert problem is None, problem
