"""The built-in corpora the tiny models learn from: short texts a learner can recognise in outputs.

Each trained task also has held-out examples, never trained on, that the zoo's tests check it on.
"""

from __future__ import annotations

import itertools
import random

LINES = (
    "Hello world, this is a tiny language model.",
    "The quick brown fox jumps over the lazy dog.",
    "Transformers turn tokens into vectors and back again.",
    "A pipeline hides the tokenizer, the model and the decoding.",
    "Katas teach by doing, one small step at a time.",
    "안녕하세요, 작은 언어 모델입니다.",
)

# Chat: (user message, assistant answer) pairs; each answer is a corpus line the model already knows.
CHATS = (
    ("Who are you?", LINES[0]),
    ("What does a pipeline hide?", LINES[3]),
    ("How do katas teach?", LINES[4]),
)

# Sentiment: obvious sentences, a template filled with words of one polarity.
NEGATIVE, POSITIVE = "NEGATIVE", "POSITIVE"
SENTIMENT_LABELS = (NEGATIVE, POSITIVE)
SENTIMENT_WORDS = {
    POSITIVE: {
        "verb": ("love", "like", "enjoy", "adore"),
        "adjective": ("great", "wonderful", "excellent", "amazing", "good", "lovely"),
    },
    NEGATIVE: {
        "verb": ("hate", "dislike", "loathe", "despise"),
        "adjective": ("terrible", "awful", "bad", "boring", "horrible", "dreadful"),
    },
}
SENTIMENT_THINGS = ("movie", "film", "book", "song", "meal", "game", "show", "story")
SENTIMENT_TEMPLATES = (
    "I {verb} this {thing}",
    "we {verb} the {thing}",
    "this {thing} is {adjective}",
    "what a {adjective} {thing}",
    "the {thing} was really {adjective}",
)
SENTIMENT_HELD_OUT = (
    ("I love this song", POSITIVE),
    ("this film is terrible", NEGATIVE),
    ("what a wonderful story", POSITIVE),
    ("the meal was really awful", NEGATIVE),
    ("we enjoy the show", POSITIVE),
    ("I hate this game", NEGATIVE),
)


def sentiment_examples() -> list[tuple[str, str]]:
    """Every (sentence, label) the templates make, in a fixed order, less the held-out ones."""
    held_out = {sentence for sentence, _ in SENTIMENT_HELD_OUT}
    examples = []
    for label, template, thing in itertools.product(SENTIMENT_LABELS, SENTIMENT_TEMPLATES, SENTIMENT_THINGS):
        slot = "verb" if "{verb}" in template else "adjective"
        for word in SENTIMENT_WORDS[label][slot]:
            sentence = template.format(thing=thing, **{slot: word})
            if sentence not in held_out:
                examples.append((sentence, label))
    return examples


# Named entities: templated sentences about people and places, tagged word by word (IOB2). The names are
# invented letter by letter, alike for people and places: only the context tells a person from a place.
NER_LABELS = ("O", "B-PER", "I-PER", "B-LOC", "I-LOC")
NER_TEMPLATES = (
    "{PER} lives in {LOC}",
    "my friend {PER} works in {LOC}",
    "yesterday {PER} flew to {LOC}",
    "{PER} met {PER} in {LOC}",
    "{LOC} is where {PER} was born",
    "we visited {LOC} with {PER}",
)
NAME_CONSONANTS, NAME_VOWELS = "bcdfghjklmnprstvwz", "aeiou"
# People and places the tagger never saw, in sentences of every known shape: (sentence, its (entity, words) in
# order). Real names: their letters do not alternate like the invented ones'.
NER_HELD_OUT = (
    ("Ana Ruiz lives in Porto", (("PER", "Ana Ruiz"), ("LOC", "Porto"))),
    ("my friend Zoe Lin works in Madrid", (("PER", "Zoe Lin"), ("LOC", "Madrid"))),
    ("yesterday Kofi flew to Rome", (("PER", "Kofi"), ("LOC", "Rome"))),
    ("Sam met Mia Chen in Oslo", (("PER", "Sam"), ("PER", "Mia Chen"), ("LOC", "Oslo"))),
    ("Lima is where Rosa Diaz was born", (("LOC", "Lima"), ("PER", "Rosa Diaz"))),
    ("we visited Cape Town with Omar", (("LOC", "Cape Town"), ("PER", "Omar"))),
)


def invented_name(rng: random.Random) -> str:
    """A capitalised word of two to five letters, consonants and vowels in turn, like "Kalom" or "Edo"."""
    vowel_first = rng.random() < 0.3
    letters = [
        rng.choice(NAME_VOWELS if (index % 2 == 0) == vowel_first else NAME_CONSONANTS)
        for index in range(rng.randint(2, 5))
    ]
    return "".join(letters).capitalize()


def invented_full_name(rng: random.Random) -> list[str]:
    """The words of a person's or a place's name: one invented word, or twice as often two.

    The capital that starts a name's second word (I-) looks like the one that starts a name (B-): the
    tagger learns that difference last, so it sees many of them.
    """
    return [invented_name(rng) for _ in range(1 if rng.random() < 1 / 3 else 2)]


def ner_examples(count: int, seed: int = 0) -> list[list[tuple[str, str]]]:
    """`count` templated sentences as lists of (word, tag); names of one or two words, invented for `seed`."""
    rng = random.Random(seed)
    sentences = []
    for index in range(count):
        words = []
        for piece in NER_TEMPLATES[index % len(NER_TEMPLATES)].split():
            if piece in ("{PER}", "{LOC}"):
                kind = piece[1:-1]
                name = invented_full_name(rng)
                words += [(word, ("B-" if position == 0 else "I-") + kind) for position, word in enumerate(name)]
            else:
                words.append((piece, "O"))
        sentences.append(words)
    return sentences


# Images: solid colours in random shades, one class per dominant channel.
COLOURS = ("red", "green", "blue")
IMAGE_SIZE = 32


def colour_image(colour: str, rng: random.Random):
    """A solid `IMAGE_SIZE` square of a random shade of `colour`: its channel bright, the others dim."""
    from PIL import Image

    channels = [rng.randint(0, 100) for _ in COLOURS]
    channels[COLOURS.index(colour)] = rng.randint(150, 255)
    return Image.new("RGB", (IMAGE_SIZE, IMAGE_SIZE), tuple(channels))


def colour_images(count_per_colour: int, seed: int = 0) -> list[tuple[object, str]]:
    """(image, colour) pairs, `count_per_colour` of each colour, in a fixed order for `seed`."""
    rng = random.Random(seed)
    return [(colour_image(colour, rng), colour) for _ in range(count_per_colour) for colour in COLOURS]
