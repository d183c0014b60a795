"""The tiny-model zoo: real `save_pretrained` folders, built offline, cached across runs.

`model_dir("gpt2")` returns the folder of a GPT-2-style causal LM, `model_dir("bert")` that of a
BERT-style encoder; keyword arguments (seed, sizes) go to the builder and into the cache key.
"""

from __future__ import annotations

from pathlib import Path

from katakit.zoo.cache import cached_build
from katakit.zoo.causal_lm import build_causal_lm
from katakit.zoo.encoder import build_encoder

BUILDERS = {"gpt2": build_causal_lm, "bert": build_encoder}


def model_dir(name: str, **params) -> Path:
    return cached_build(name, BUILDERS[name], **params)
