"""Kata 4, tokenizers in depth: ids, tokens, batches, offsets and pairs equal the tokenizer's own.

Tasks 1 and 3 run on both tokenizers: the byte-level BPE one (GPT-2 style) and the WordPiece
one (BERT style), whose special tokens and lowercasing show what a GPT-2-only answer misses.
"""

import pytest
from hypothesis import example, given, note
from hypothesis import strategies as st

from katakit.explain import call, mismatch, tensor_problem, wrong_type
from katakit.strategies import ascii_texts, free_text, prompts, text_batches

task = pytest.mark.task
KINDS = ["gpt2", "bert"]
LONG_TEXT = "the quick brown fox jumps over the lazy dog"


def load_tokenizer(folder):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(folder)


@pytest.fixture(scope="session")
def tokenizer_dirs(gpt2_dir, masked_lm_dir):
    # One BERT folder: the encoder sizes of `encoder_dir` share their tokenizer.
    return {"gpt2": gpt2_dir, "bert": masked_lm_dir}


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


def checked_triple(kata, tokenizer, text):
    called = call("encode_and_decode", tokenizer, text)
    got = kata.encode_and_decode(tokenizer, text)
    problem = wrong_type(got, tuple, called, "Return the three values as a tuple: (ids, tokens, decoded).")
    assert problem is None and len(got) == 3, problem or f"{called} returned {len(got)} values; expected 3."
    return called, got


@task(1)
@given(text=prompts())
@example(text="Hello world")
@example(text="안녕하세요, 작은 언어 모델입니다. 🤗")
def test_encode_and_decode_gives_the_tokenizers_ids_tokens_and_text(kata, tokenizers, text):
    tokenizer, reference = tokenizers.fresh, tokenizers.reference
    called, (ids, tokens, decoded) = checked_triple(kata, tokenizer, text)
    expected_ids = reference(text)["input_ids"]
    assert list(ids) == expected_ids, mismatch(
        f"{called}: ids", ids, expected_ids,
        "Expected the input_ids of tokenizer(text), special tokens included (BERT adds [CLS] and [SEP]).")
    expected_tokens = reference.convert_ids_to_tokens(expected_ids)
    assert tokens == expected_tokens, mismatch(
        f"{called}: tokens", tokens, expected_tokens,
        "Expected one token string per id, special tokens included: tokenizer.tokenize(text) leaves "
        "[CLS] and [SEP] out. Which method turns ids into tokens?")
    expected_text = reference.decode(expected_ids, skip_special_tokens=True)
    assert decoded == expected_text, mismatch(
        f"{called}: decoded", decoded, expected_text,
        "Expected tokenizer.decode of the ids without [CLS], [SEP] or <|endoftext|> (skip_special_tokens=True). "
        "The BERT tokenizer lowercases: its decoded text is not the text you gave it.")


@task(1)
@pytest.mark.parametrize("tokenizers", ["gpt2"], indirect=True)
@given(text=free_text(max_size=40))
@example(text="안녕하세요 🤗")
def test_byte_level_tokenizer_gives_back_any_text(kata, tokenizers, text):
    tokenizer = tokenizers.fresh
    called, (ids, tokens, decoded) = checked_triple(kata, tokenizer, text)
    note(f"tokens: {tokens}")
    message = mismatch(f"{called}: decoded", decoded, text,
                       "A byte-level tokenizer can encode any unicode text and decode it back unchanged. "
                       "Did you decode all the ids with tokenizer.decode, not join the tokens?")
    assert decoded == text, message


def max_lengths():
    return st.integers(min_value=3, max_value=12)


BATCH_ADVICE = ('Pad to the longest text (padding=True, not "max_length"), cut with truncation=True and max_length, '
                'and ask for tensors with return_tensors="pt".')


def batch_field(batch, field, called):
    """`batch[field]`, asserted to be a tensor."""
    import torch

    assert field in batch, f"{called} has no {field!r}: return the tokenizer's whole output."
    problem = wrong_type(batch[field], torch.Tensor, f"{called}[{field!r}]",
                         'Lists are not tensors: which tokenizer option asks for PyTorch tensors?')
    assert problem is None, problem
    return batch[field]


@task(2)
@given(texts=text_batches(), max_length=max_lengths())
@example(texts=["hi", LONG_TEXT], max_length=5)  # the long text is cut
@example(texts=["hi", "hello world"], max_length=12)  # the batch is narrower than max_length
def test_encode_batch_equals_the_padded_truncated_batch(kata, bert, texts, max_length):
    tokenizer, reference = bert.fresh, bert.reference
    called = call("encode_batch", tokenizer, texts, max_length)
    got = kata.encode_batch(tokenizer, texts, max_length)
    expected = reference(texts, padding=True, truncation=True, max_length=max_length, return_tensors="pt")
    note(f"tokens of each text: {[reference.tokenize(text) for text in texts]}")
    for field in ("input_ids", "attention_mask"):
        problem = tensor_problem(batch_field(got, field, called), expected[field], f"{called}[{field!r}]",
                                 "(batch, longest text cut to max_length)", BATCH_ADVICE)
        assert problem is None, problem


@task(2)
@given(texts=text_batches(), max_length=max_lengths())
@example(texts=["hi", LONG_TEXT], max_length=5)
def test_batch_attention_mask_counts_each_texts_own_tokens(kata, bert, texts, max_length):
    tokenizer, reference = bert.fresh, bert.reference
    called = call("encode_batch", tokenizer, texts, max_length)
    mask = batch_field(kata.encode_batch(tokenizer, texts, max_length), "attention_mask", called)
    width = mask.shape[-1]
    assert width <= max_length, (f"{called} gave rows of {width} tokens, more than max_length={max_length}. "
                                 "Does the tokenizer truncate when you only give it max_length?")
    own_lengths = [min(len(reference(text)["input_ids"]), max_length) for text in texts]
    counted = [int(row.sum()) for row in mask]
    message = (f"{called}: the attention mask of each row counts {counted} real tokens; each text has "
               f"{own_lengths} tokens (special tokens included, cut to max_length). "
               "Padding positions get 0 in the mask: did you pad the batch and keep its attention_mask?")
    assert counted == own_lengths, message


def reference_spans(reference, text):
    encoding = reference(text, add_special_tokens=False, return_offsets_mapping=True)
    tokens = reference.convert_ids_to_tokens(encoding["input_ids"])
    return [(token, text[start:end]) for token, (start, end) in zip(tokens, encoding["offset_mapping"], strict=True)]


SPANS_ADVICE = ("Expected one (token, piece of the text) pair per token, without [CLS] and [SEP], each piece "
                "sliced from the text you were given with the token's offsets (return_offsets_mapping=True).")


@task(3)
@given(text=prompts())
@example(text="Hello, Hi")
@example(text="안녕하세요, 작은 언어 모델입니다. 🤗")
def test_token_spans_slice_the_text_with_the_offsets(kata, tokenizers, text):
    tokenizer, reference = tokenizers.fresh, tokenizers.reference
    called = call("token_spans", tokenizer, text)
    got = kata.token_spans(tokenizer, text)
    problem = wrong_type(got, list, called, "Return a list of (token, piece) pairs.")
    assert problem is None, problem
    expected = reference_spans(reference, text)
    assert [tuple(pair) for pair in got] == expected, mismatch(called, got, expected, SPANS_ADVICE)


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
    got = [tuple(pair) for pair in kata.token_spans(tokenizer, text)]
    expected_tokens = reference.tokenize(text)
    assert [token for token, _ in got] == expected_tokens, mismatch(
        f"{called}: tokens", [token for token, _ in got], expected_tokens, SPANS_ADVICE)
    for token, piece in got:
        read = piece.lower() if kind == "bert" else piece
        assert read == token_text(kind, reference, token), (
            f"{called} paired token {token!r} with {piece!r}, which is not the text it stands for. " + SPANS_ADVICE)


@task(4)
@given(first=prompts(), second=prompts())
@example(first="Who jumps?", second=LONG_TEXT)
def test_encode_pair_gives_the_pairs_ids_and_token_type_ids(kata, bert, first, second):
    tokenizer, reference = bert.fresh, bert.reference
    called = call("encode_pair", tokenizer, first, second)
    got = kata.encode_pair(tokenizer, first, second)
    expected = reference(first, second)
    note(f"expected tokens: {reference.convert_ids_to_tokens(expected['input_ids'])}")
    advice = {
        "input_ids": "Expected [CLS] first [SEP] second [SEP] as one list of ids: give the tokenizer the two texts "
                     "as two arguments, not one string and not a batch of two.",
        "token_type_ids": "Expected 0 for every token up to the first [SEP], then 1: the tokenizer only knows "
                          "which text a token comes from when it gets the two texts as a pair.",
    }
    for field, why in advice.items():
        assert field in got, f"{called} has no {field!r}: return the tokenizer's whole output."
        problem = wrong_type(got[field], list, f"{called}[{field!r}]", "Lists, not tensors: one pair, no batch.")
        assert problem is None, problem
        assert got[field] == expected[field], mismatch(f"{called}[{field!r}]", got[field], expected[field], why)
