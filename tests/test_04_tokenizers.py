"""Kata 4, tokenizers in depth: ids, tokens, batches, offsets and pairs equal the tokenizer's own.

Tasks 1 and 3 run on three tokenizers: the byte-level BPE one (GPT-2 style, no special tokens added), the
WordPiece one (BERT style), whose special tokens and lowercasing show what a GPT-2-only answer misses, and the
Llama-style byte-level one, which adds <|begin_of_text|> in front of every text and nothing after it.
"""

import pytest
from hypothesis import example, given, note
from hypothesis import strategies as st

from katakit.explain import call, mismatch, tensor_problem, wrong_type
from katakit.i18n import N_, _
from katakit.strategies import ascii_texts, free_text, prompts, text_batches
from katakit.unchanged import keep

task = pytest.mark.task
KINDS = ["gpt2", "bert", "llama"]
LONG_TEXT = "the quick brown fox jumps over the lazy dog"
# Apostrophes and spaces before punctuation: what decoding's clean-up options change.
PUNCTUATED = "Wait , what ? It 's 5 . Don 't ! \"Fine\" , isn't it ?"
# Texts that spell each tokenizer's special tokens: the tokenizer reads them as those tokens.
SPELLED_SPECIAL = {
    "gpt2": "Hi<|endoftext|> it's me.",
    "bert": "Hi [SEP] it's [MASK] me.",
    "llama": "Hi<|begin_of_text|> it's <|end|> me.<|end_of_text|>",
}


def load_tokenizer(folder):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(folder)


@pytest.fixture(scope="session")
def tokenizer_dirs(gpt2_dir, masked_lm_dir, llama_dir):
    # One BERT folder: the encoder sizes of `encoder_dir` share their tokenizer.
    return {"gpt2": gpt2_dir, "bert": masked_lm_dir, "llama": llama_dir}


@pytest.fixture(scope="session")
def reference_tokenizers(tokenizer_dirs):
    return {kind: load_tokenizer(folder) for kind, folder in tokenizer_dirs.items()}


class Tokenizers:
    """A fresh tokenizer for the learner and the reference one for the expected values, of one kind."""

    def __init__(self, kind, fresh, reference):
        self.kind, self.fresh, self.reference = kind, fresh, reference

    def __repr__(self) -> str:  # short: hypothesis shows it in every falsifying example
        return f"<{self.kind} tokenizers>"


def tokenizers_of(kind, tokenizer_dirs, reference_tokenizers) -> Tokenizers:
    return Tokenizers(kind, load_tokenizer(tokenizer_dirs[kind]), reference_tokenizers[kind])


@pytest.fixture(params=KINDS)
def tokenizers(request, tokenizer_dirs, reference_tokenizers):
    return tokenizers_of(request.param, tokenizer_dirs, reference_tokenizers)


@pytest.fixture
def bert(tokenizer_dirs, reference_tokenizers):
    return tokenizers_of("bert", tokenizer_dirs, reference_tokenizers)


def list_problem(got, kind, called, advice) -> str | None:
    """A message unless `got` is a list whose items are all exactly of type `kind` (no tensors, no numpy numbers)."""
    problem = wrong_type(got, list, called, advice)
    if problem:
        return problem
    for index, item in enumerate(got):
        if type(item) is not kind:
            return _(
                "{call}[{index}] is a {type} {item}; expected a Python {kind}. {advice}",
                call=called,
                index=index,
                type=type(item).__name__,
                item=repr(item),
                kind=kind.__name__,
                advice=advice,
            )
    return None


def checked_triple(kata, tokenizer, text):
    called = call("encode_and_decode", tokenizer, text)
    got = kata.encode_and_decode(tokenizer, text)
    problem = wrong_type(got, tuple, called, _("Return the three values as a tuple: (ids, tokens, decoded)."))
    assert problem is None and len(got) == 3, problem or _(
        "{call} returned {count} values; expected 3.", call=called, count=len(got)
    )
    ids, tokens, decoded = got
    for problem in (
        list_problem(
            ids,
            int,
            f"{called}: ids",
            _(
                "Expected the list of ints the tokenizer gives, "
                "not a tensor: without return_tensors, tokenizer(text)['input_ids'] is a list."
            ),
        ),
        list_problem(tokens, str, f"{called}: tokens", _("Expected one token string per id.")),
        wrong_type(decoded, str, f"{called}: decoded", _("Expected one string.")),
    ):
        assert problem is None, problem
    return called, got


def check_triple(kata, tokenizers, text):
    """encode_and_decode on `text` equals the tokenizer's own ids, tokens and decoded text."""
    tokenizer, reference = tokenizers.fresh, tokenizers.reference
    called, (ids, tokens, decoded) = checked_triple(kata, tokenizer, text)
    expected_ids = reference(text)["input_ids"]
    assert ids == expected_ids, mismatch(
        f"{called}: ids",
        ids,
        expected_ids,
        _(
            "Expected the input_ids of tokenizer(text), special tokens included (BERT adds [CLS] and [SEP], "
            "Llama <|begin_of_text|>)."
        ),
    )
    expected_tokens = reference.convert_ids_to_tokens(expected_ids)
    assert tokens == expected_tokens, mismatch(
        f"{called}: tokens",
        tokens,
        expected_tokens,
        _(
            "Expected one token string per id, special tokens included: tokenizer.tokenize(text) leaves "
            "[CLS] and [SEP] out. Which method turns ids into tokens?"
        ),
    )
    expected_text = reference.decode(expected_ids, skip_special_tokens=True)
    assert decoded == expected_text, mismatch(
        f"{called}: decoded",
        decoded,
        expected_text,
        _(
            "Expected tokenizer.decode of the ids without [CLS], [SEP] or <|endoftext|> (skip_special_tokens=True), "
            "and no other option: the tokenizer's own clean-up settings decide the spaces. "
            "The BERT tokenizer lowercases: its decoded text is not the text you gave it."
        ),
    )


@task(1)
@given(text=prompts())
@example(text="Hello world")
@example(text="안녕하세요, 작은 언어 모델입니다. 🤗")
@example(text=PUNCTUATED)
def test_encode_and_decode_gives_the_tokenizers_ids_tokens_and_text(kata, tokenizers, text):
    check_triple(kata, tokenizers, text)


@task(1)
def test_encode_and_decode_of_a_text_that_spells_special_tokens(kata, tokenizers):
    # The tokenizer reads "[SEP]" or "<|endoftext|>" in a text as the special token itself: its id is in the
    # ids, its token in the tokens, and decoding without special tokens leaves it out like the added ones.
    check_triple(kata, tokenizers, SPELLED_SPECIAL[tokenizers.kind])


@task(1)
@pytest.mark.parametrize("tokenizers", ["gpt2"], indirect=True)
@given(text=free_text(max_size=40))
@example(text="안녕하세요 🤗")
@example(text=PUNCTUATED)
@example(text="tab\there, a new\nline, Ωμέγα, 日本語 \x80")  # what the drawn texts leave out: controls, other scripts
def test_byte_level_tokenizer_gives_back_any_text(kata, tokenizers, text):
    tokenizer = tokenizers.fresh
    called, (ids, tokens, decoded) = checked_triple(kata, tokenizer, text)
    note(_("tokens: {tokens}", tokens=tokens))
    message = mismatch(
        f"{called}: decoded",
        decoded,
        text,
        _(
            "A byte-level tokenizer can encode any unicode text and decode it back unchanged. "
            "Did you decode all the ids with tokenizer.decode, not join the tokens, and leave "
            "clean_up_tokenization_spaces to the tokenizer (it would drop the space in ' ,')?"
        ),
    )
    assert decoded == text, message


def max_lengths():
    return st.integers(min_value=3, max_value=12)


BATCH_ADVICE = N_(
    'Pad to the longest text (padding=True, not "max_length"), cut with truncation=True and max_length, '
    'and ask for tensors with return_tensors="pt".'
)


def batch_field(batch, field, called):
    """`batch[field]`, asserted to be a tensor."""
    import torch

    assert field in batch, _(
        "{call} has no {field}: return the tokenizer's whole output.", call=called, field=repr(field)
    )
    problem = wrong_type(
        batch[field],
        torch.Tensor,
        f"{called}[{field!r}]",
        _("Lists are not tensors: which tokenizer option asks for PyTorch tensors?"),
    )
    assert problem is None, problem
    return batch[field]


@task(2)
@given(texts=text_batches(), max_length=max_lengths())
@example(texts=["hi", LONG_TEXT], max_length=5)  # the long text is cut
@example(texts=["hi", "hello world"], max_length=12)  # the batch is narrower than max_length
@example(texts=["Hi!", PUNCTUATED, "안녕"], max_length=7)
def test_encode_batch_equals_the_padded_truncated_batch(kata, bert, texts, max_length):
    tokenizer, reference = bert.fresh, bert.reference
    texts = list(texts)  # the learner's own list: an explicit example's list is shared by every run of it
    called = call("encode_batch", tokenizer, texts, max_length)
    kept = keep(texts=texts)
    got = kata.encode_batch(tokenizer, texts, max_length)
    problem = kept.changed(called)
    assert problem is None, problem
    expected = reference(texts, padding=True, truncation=True, max_length=max_length, return_tensors="pt")
    note(_("tokens of each text: {tokens}", tokens=[reference.tokenize(text) for text in texts]))
    fields = sorted(getattr(got, "keys", lambda: [])())
    assert fields == sorted(expected.keys()), _(
        "{call} returned the fields {fields}; expected {expected}, every field the tokenizer "
        "gives for this model (token_type_ids too). Return the tokenizer's whole output, with no field left out.",
        call=called,
        fields=fields,
        expected=sorted(expected.keys()),
    )
    for field in expected:
        problem = tensor_problem(
            batch_field(got, field, called),
            expected[field],
            f"{called}[{field!r}]",
            _("(batch, longest text cut to max_length)"),
            _(BATCH_ADVICE),
        )
        assert problem is None, problem


@task(2)
@given(texts=text_batches(), max_length=max_lengths())
@example(texts=["hi", LONG_TEXT], max_length=5)
def test_batch_attention_mask_counts_each_texts_own_tokens(kata, bert, texts, max_length):
    tokenizer, reference = bert.fresh, bert.reference
    called = call("encode_batch", tokenizer, texts, max_length)
    mask = batch_field(kata.encode_batch(tokenizer, texts, max_length), "attention_mask", called)
    width = mask.shape[-1]
    assert width <= max_length, _(
        "{call} gave rows of {width} tokens, more than max_length={max_length}. "
        "Does the tokenizer truncate when you only give it max_length?",
        call=called,
        width=width,
        max_length=max_length,
    )
    own_lengths = [min(len(reference(text)["input_ids"]), max_length) for text in texts]
    counted = [int(row.sum()) for row in mask]
    message = _(
        "{call}: the attention mask of each row counts {counted} real tokens; each text has "
        "{own_lengths} tokens (special tokens included, cut to max_length). "
        "Padding positions get 0 in the mask: did you pad the batch and keep its attention_mask?",
        call=called,
        counted=counted,
        own_lengths=own_lengths,
    )
    assert counted == own_lengths, message


def reference_spans(reference, text):
    encoding = reference(text, add_special_tokens=False, return_offsets_mapping=True)
    tokens = reference.convert_ids_to_tokens(encoding["input_ids"])
    return [(token, text[start:end]) for token, (start, end) in zip(tokens, encoding["offset_mapping"], strict=True)]


SPANS_ADVICE = N_(
    "Expected one (token, piece of the text) pair per token, without [CLS] and [SEP], each piece "
    "sliced from the text you were given with the token's offsets (return_offsets_mapping=True)."
)


@task(3)
@given(text=prompts())
@example(text="Hello, Hi")
@example(text="안녕하세요, 작은 언어 모델입니다. 🤗")
def test_token_spans_slice_the_text_with_the_offsets(kata, tokenizers, text):
    tokenizer, reference = tokenizers.fresh, tokenizers.reference
    called = call("token_spans", tokenizer, text)
    got = kata.token_spans(tokenizer, text)
    problem = spans_type_problem(got, called)
    assert problem is None, problem
    expected = reference_spans(reference, text)
    assert got == expected, mismatch(called, got, expected, _(SPANS_ADVICE))


def spans_type_problem(got, called) -> str | None:
    """A message unless `got` is a list of (str, str) tuples."""
    problem = wrong_type(got, list, called, _("Return a list of (token, piece) pairs."))
    if problem:
        return problem
    for index, pair in enumerate(got):
        if type(pair) is not tuple or len(pair) != 2 or not all(type(item) is str for item in pair):
            return _(
                "{call}[{index}] is {pair}; expected a pair (token, piece) of two strings, a tuple. "
                "zip(tokens, pieces) makes such pairs.",
                call=called,
                index=index,
                pair=repr(pair),
            )
    return None


def token_text(kind, reference, token):
    """The text a token stands for, as its offsets should slice it (BERT's lowercased)."""
    if kind == "bert":
        return token.removeprefix("##")  # `##`: this token continues a word
    return reference.convert_tokens_to_string([token])  # byte level: `Ġ` is a space


@task(3)
@given(text=ascii_texts())
@example(text="Hello, Hi")
def test_each_tokens_piece_reads_as_the_token(kata, tokenizers, text):
    tokenizer, reference, kind = tokenizers.fresh, tokenizers.reference, tokenizers.kind
    called = call("token_spans", tokenizer, text)
    got = kata.token_spans(tokenizer, text)
    problem = spans_type_problem(got, called)
    assert problem is None, problem
    expected_tokens = reference.tokenize(text)
    assert [token for token, _piece in got] == expected_tokens, mismatch(
        f"{called}: tokens", [token for token, _piece in got], expected_tokens, _(SPANS_ADVICE)
    )
    for token, piece in got:
        read = piece.lower() if kind == "bert" else piece
        assert read == token_text(kind, reference, token), (
            _(
                "{call} paired token {token} with {piece}, which is not the text it stands for.",
                call=called,
                token=repr(token),
                piece=repr(piece),
            )
            + " "
            + _(SPANS_ADVICE)
        )


@task(4)
@given(first=prompts(), second=prompts())
@example(first="Who jumps?", second=LONG_TEXT)
def test_encode_pair_gives_the_pairs_ids_and_token_type_ids(kata, bert, first, second):
    tokenizer, reference = bert.fresh, bert.reference
    called = call("encode_pair", tokenizer, first, second)
    got = kata.encode_pair(tokenizer, first, second)
    expected = reference(first, second)
    note(_("expected tokens: {tokens}", tokens=reference.convert_ids_to_tokens(expected["input_ids"])))
    fields = sorted(getattr(got, "keys", lambda: [])())
    assert fields == sorted(expected.keys()), _(
        "{call} returned the fields {fields}; expected {expected}: the tokenizer's whole output "
        "for the pair, attention_mask included. Did you build the encoding by hand?",
        call=called,
        fields=fields,
        expected=sorted(expected.keys()),
    )
    advice = {
        "attention_mask": _("Expected 1 for every token of the pair: nothing is padded."),
        "input_ids": _(
            "Expected [CLS] first [SEP] second [SEP] as one list of ids: give the tokenizer the two texts "
            "as two arguments, not one string and not a batch of two."
        ),
        "token_type_ids": _(
            "Expected 0 for every token up to the first [SEP], then 1: the tokenizer only knows "
            "which text a token comes from when it gets the two texts as a pair."
        ),
    }
    for field, why in advice.items():
        assert field in got, _(
            "{call} has no {field}: return the tokenizer's whole output.", call=called, field=repr(field)
        )
        problem = wrong_type(got[field], list, f"{called}[{field!r}]", _("Lists, not tensors: one pair, no batch."))
        assert problem is None, problem
        assert got[field] == expected[field], mismatch(f"{called}[{field!r}]", got[field], expected[field], why)
