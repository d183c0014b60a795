"""Hypothesis strategies for the kata tests, named for what they make."""

from __future__ import annotations

from hypothesis import strategies as st

from katakit.zoo.corpus import LINES

# Special-token text would be parsed as the token itself and dropped by skip_special_tokens.
# "<|" starts every special token of the GPT-2 and Llama tokenizers (<|endoftext|>, <|user|>, ...).
SPECIAL_TEXT = ("<|", "[CLS]", "[SEP]", "[PAD]", "[MASK]", "[UNK]")


def corpus_prefixes() -> st.SearchStrategy[str]:
    """The start of a corpus line: the tiny models continue these with the rest of the line."""
    return st.sampled_from(LINES).flatmap(lambda line: st.integers(1, len(line)).map(lambda end: line[:end]))


# What a learner can read in a failing example: ASCII, Korean syllables, accented letters, typographic
# punctuation and emoji, each several bytes in UTF-8 where it matters to a byte-level tokenizer. Control
# characters and odd scripts would say nothing more to the tests than these; edge cases are explicit examples.
READABLE_CHARACTERS = st.one_of(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3),
    st.sampled_from("éèêüöäñçßàâîôû…—–«»“”‘’¿¡€"),
    st.sampled_from("😀🎉👍🤗🚀🌍🍕🐍✨"),
)


def free_text(max_size: int = 24) -> st.SearchStrategy[str]:
    """Readable unicode text, Korean and emoji included, that holds no special-token string."""
    return st.text(alphabet=READABLE_CHARACTERS, min_size=1, max_size=max_size).filter(
        lambda text: not any(s in text for s in SPECIAL_TEXT)
    )


def prompts() -> st.SearchStrategy[str]:
    return st.one_of(corpus_prefixes(), free_text())


def new_token_counts() -> st.SearchStrategy[int]:
    return st.integers(min_value=1, max_value=16)


def text_batches(max_size: int = 4) -> st.SearchStrategy[list[str]]:
    """Batches of texts of different lengths, so that padding matters."""
    return st.lists(prompts(), min_size=1, max_size=max_size)


def ascii_texts(max_size: int = 24) -> st.SearchStrategy[str]:
    """Printable ASCII, upper case included: every character has a token, so no text ends up as [UNK]."""
    import string

    alphabet = string.ascii_letters + string.digits + string.punctuation + " "
    return st.text(alphabet=alphabet, min_size=1, max_size=max_size).filter(
        lambda text: not any(s in text for s in SPECIAL_TEXT)
    )


def few_new_token_counts() -> st.SearchStrategy[int]:
    """Short generations, for tests that generate more than once per example."""
    return st.integers(min_value=1, max_value=8)


def seeds() -> st.SearchStrategy[int]:
    return st.integers(min_value=0, max_value=2**31 - 1)


def top_ks() -> st.SearchStrategy[int]:
    """`top_k` values that narrow the tiny GPT-2 vocabulary (400 tokens) down to a few tokens."""
    return st.integers(min_value=1, max_value=12)


def top_ps() -> st.SearchStrategy[float]:
    """`top_p` values from a narrow nucleus to the whole distribution, rounded to read well."""
    return st.floats(min_value=0.1, max_value=1.0).map(lambda p: round(p, 2))


def batch_sizes(max_size: int = 4) -> st.SearchStrategy[int]:
    return st.integers(min_value=1, max_value=max_size)


def token_counts(max_count: int = 32) -> st.SearchStrategy[int]:
    """Sequence lengths in tokens, well within every zoo model's positions."""
    return st.integers(min_value=1, max_value=max_count)


def documents(min_size: int = 2, max_size: int = 4) -> st.SearchStrategy[list[str]]:
    """Distinct texts to search or rank."""
    return st.lists(prompts(), min_size=min_size, max_size=max_size, unique=True)


def colour_images() -> st.SearchStrategy[tuple]:
    """A freshly drawn solid image of some shade of red, green or blue, and that colour (the vit model's label)."""
    from katakit.zoo.corpus import COLOURS, colour_image

    return st.tuples(st.sampled_from(COLOURS), st.randoms(use_true_random=False)).map(
        lambda drawn: (colour_image(drawn[0], drawn[1]), drawn[0])
    )


def images_of_any_size(min_side: int = 8, max_side: int = 64) -> st.SearchStrategy:
    """A PIL image of any size, seldom the vit model's: a shade of one colour with a shade of another on its left
    part, so that resizing changes its pixels."""
    from katakit.zoo.corpus import COLOURS, colour_image

    def draw(width, height, background, patch, patch_width, rng):
        image = colour_image(background, rng).resize((width, height))
        image.paste(colour_image(patch, rng).getpixel((0, 0)), (0, 0, max(1, width * patch_width // 4), height))
        return image

    sides = st.integers(min_value=min_side, max_value=max_side)
    return st.builds(
        draw,
        sides,
        sides,
        st.sampled_from(COLOURS),
        st.sampled_from(COLOURS),
        st.integers(1, 3),
        st.randoms(use_true_random=False),
    )


def images() -> st.SearchStrategy:
    """Solid colour images of the vit model's own size, and images of any size and two colours."""
    return st.one_of(colour_images().map(lambda drawn: drawn[0]), images_of_any_size())


def ner_sentences() -> st.SearchStrategy[str]:
    """A sentence of a shape the NER tagger learned, about people and places it never saw (names of 1-2 words)."""
    from katakit.zoo.corpus import NER_TEMPLATES, invented_full_name

    def filled(template: str, rng) -> str:
        # Each slot gets a name of its own: "{PER} met {PER}" is about two people.
        return " ".join(
            " ".join(invented_full_name(rng)) if piece in ("{PER}", "{LOC}") else piece for piece in template.split()
        )

    templates_and_randoms = st.tuples(st.sampled_from(NER_TEMPLATES), st.randoms(use_true_random=False))
    return templates_and_randoms.map(lambda drawn: filled(*drawn))


MASK_SLOT = "{mask}"


def masked_corpus_lines(max_masks: int = 1) -> st.SearchStrategy[str]:
    """A corpus line with 1 to `max_masks` of its words replaced by `MASK_SLOT`, which a test replaces with the
    mask token of the tokenizer at hand ("[MASK]" for BERT, "<mask>" for RoBERTa)."""

    def masked(words: list[str], positions: set[int]) -> str:
        return " ".join(MASK_SLOT if index in positions else word for index, word in enumerate(words))

    return (
        st.sampled_from(LINES)
        .map(str.split)
        .flatmap(
            lambda words: st.sets(st.integers(0, len(words) - 1), min_size=1, max_size=min(max_masks, len(words))).map(
                lambda positions: masked(words, positions)
            )
        )
    )


def chat_texts(max_size: int = 16) -> st.SearchStrategy[str]:
    """A message's content: a question the chat model was trained on, or any text without a chat control token."""
    from katakit.zoo.corpus import CHATS

    return st.one_of(
        st.sampled_from([question for question, _ in CHATS]), free_text(max_size).filter(lambda text: "<|" not in text)
    )


def chats(max_turns: int = 3) -> st.SearchStrategy[list[dict[str, str]]]:
    """Conversations for the chat model: user and assistant take turns, and the user speaks last."""
    turns = st.lists(st.tuples(chat_texts(), chat_texts()), min_size=0, max_size=max_turns - 1)
    return st.tuples(turns, chat_texts()).map(
        lambda drawn: [
            *(
                message
                for question, answer in drawn[0]
                for message in ({"role": "user", "content": question}, {"role": "assistant", "content": answer})
            ),
            {"role": "user", "content": drawn[1]},
        ]
    )
