"""Hypothesis strategies for the kata tests, named for what they make."""

from __future__ import annotations

from hypothesis import strategies as st

from katakit.zoo.corpus import LINES

# Special-token text would be parsed as the token itself and dropped by skip_special_tokens.
SPECIAL_TEXT = ("<|endoftext|>", "[CLS]", "[SEP]", "[PAD]", "[MASK]", "[UNK]")


def corpus_prefixes() -> st.SearchStrategy[str]:
    """The start of a corpus line: the tiny models continue these with the rest of the line."""
    return st.sampled_from(LINES).flatmap(lambda line: st.integers(1, len(line)).map(lambda end: line[:end]))


def free_text(max_size: int = 24) -> st.SearchStrategy[str]:
    """Any unicode text, Korean and emoji included, that holds no special-token string."""
    return st.text(min_size=1, max_size=max_size).filter(lambda text: not any(s in text for s in SPECIAL_TEXT))


def prompts() -> st.SearchStrategy[str]:
    return st.one_of(corpus_prefixes(), free_text())


def new_token_counts() -> st.SearchStrategy[int]:
    return st.integers(min_value=1, max_value=16)


def text_batches(max_size: int = 4) -> st.SearchStrategy[list[str]]:
    """Batches of texts of different lengths, so that padding matters."""
    return st.lists(prompts(), min_size=1, max_size=max_size)


def batch_sizes(max_size: int = 4) -> st.SearchStrategy[int]:
    return st.integers(min_value=1, max_value=max_size)


def token_counts(max_count: int = 32) -> st.SearchStrategy[int]:
    """Sequence lengths in tokens, well within every zoo model's positions."""
    return st.integers(min_value=1, max_value=max_count)
