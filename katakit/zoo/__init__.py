"""The tiny-model zoo: real `save_pretrained` folders, built offline, cached across runs.

`model_dir(name)` returns the folder of one model of `BUILDERS`: "gpt2" (a GPT-2-style causal LM),
"llama" (a Llama-style chat model), "bert" (a BERT-style masked LM, also the bare encoder for
`AutoModel`), "sentiment" (a sentence classifier), "ner" (a token classifier) or "vit" (an image
classifier). Keyword arguments (seed, sizes) go to the builder and into the cache key.

The fixtures build every model with the seed `zoo_seed()` reads from `KATAS_ZOO_SEED` (default 0, the
learner's zoo). An instructor grades with a seed chosen at grading time, `KATAS_ZOO_SEED=1234 pytest`: every
model then has other weights, other greedy continuations and other probabilities, so an output memorised
from the learner's zoo no longer matches, while every reference solution still passes.
"""

from __future__ import annotations

import os
from pathlib import Path

from katakit.zoo.cache import cached_build
from katakit.zoo.causal_lm import build_causal_lm
from katakit.zoo.chat_lm import build_chat_lm
from katakit.zoo.classifiers import build_ner_tagger, build_sentiment_classifier
from katakit.zoo.encoder import build_encoder
from katakit.zoo.vision import build_image_classifier

BUILDERS = {
    "gpt2": build_causal_lm,
    "llama": build_chat_lm,
    "bert": build_encoder,
    "sentiment": build_sentiment_classifier,
    "ner": build_ner_tagger,
    "vit": build_image_classifier,
}


SEED_VARIABLE = "KATAS_ZOO_SEED"


def zoo_seed() -> int:
    """The seed the fixtures build the zoo with: `$KATAS_ZOO_SEED` as a whole number, else 0."""
    value = os.environ.get(SEED_VARIABLE, "").strip()
    try:
        return int(value) if value else 0
    except ValueError:
        raise ValueError(f"{SEED_VARIABLE}={value!r}: the zoo seed must be a whole number, like 0 or 1234") from None


# A second encoder size: a shape taken from a literal instead of the config shows on one of them.
ENCODER_SIZES = {
    "bert-h32-l3": {},
    "bert-h48-l2": dict(hidden_size=48, num_hidden_layers=2, num_attention_heads=6, intermediate_size=53),
}


def course_models() -> list[tuple[str, dict]]:
    """Every (name, params) the course's fixtures build: a grader builds them all before any kata runs."""
    return [
        ("gpt2", {}),
        ("llama", {}),
        *(("bert", size) for size in ENCODER_SIZES.values()),
        ("sentiment", {}),
        ("ner", {}),
        ("vit", {}),
    ]


def model_dir(name: str, **params) -> Path:
    return cached_build(name, BUILDERS[name], **params)


def zoo_problem() -> str | None:
    """One line on why this seed's zoo cannot be built (katakit.zoo.cache.cache_problem), or None."""
    from katakit.zoo.cache import cache_problem

    seed = zoo_seed()
    return cache_problem([(name, BUILDERS[name], {"seed": seed, **params}) for name, params in course_models()])
