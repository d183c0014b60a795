"""What the warm parent does once, before its first run: pay every cost a kata run pays at its start that
can be paid once, and nothing a run could notice.

Paid here: the imports (torch, transformers and the model classes of the zoo, pytest, hypothesis, the
course's plugin and helpers); the zoo's folders (built if missing, hash-checked); the library's lazy set-up
(each pipeline task and Auto class of the course run once on its zoo model: the library imports its model,
tokenizer, generation and pipeline modules on first use); hypothesis' scan of the course's modules and its
tables of characters; the reference objects the session fixtures keep (katakit.fixtures.warm_references:
loaded once, never given to a kata). The objects the library ran on are thrown away; no kata is imported.
A run's child starts from this state, with the random generators put back as a new process has them.
The warm-up comes in two parts: the parent says READY after the first (imports, zoo, hypothesis), and does
the second (the library's set-up, the references) in steps while it waits for the next request, so that the
learner's first verdict does not wait for what only later runs gain from, nor shares the cores with it.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import random
import sys
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class WarmState:
    torch_rng: Any  # torch's generator as a new process has it
    zoo: dict[str, Path]  # model name (and size) -> its folder
    imported: frozenset[str]  # the modules imported here, before any run


def warm_up() -> WarmState:
    """The first part, before READY: what every run needs before its first test. An environment that cannot run
    the course stops it with the one line that says why (SystemExit)."""
    from katakit import quiet
    from katakit.startup import environment_problem

    if problem := environment_problem():
        raise SystemExit(problem)

    quiet.silence_environment()  # before transformers is imported, as the plugin does
    import torch

    torch_rng = torch.get_rng_state()
    import _hypothesis_pytestplugin  # noqa: F401
    import hypothesis  # noqa: F401
    import pytest  # noqa: F401
    import pytest_timeout  # noqa: F401
    import transformers  # noqa: F401 (its logging set up before `_quietly` saves the loggers' levels)
    from transformers import AutoModel, AutoModelForCausalLM, AutoTokenizer, pipeline  # noqa: F401

    import katakit.explain  # noqa: F401
    import katakit.fixtures  # noqa: F401
    import katakit.plugin  # noqa: F401
    import katakit.reference  # noqa: F401
    import katakit.spy  # noqa: F401
    import katakit.strategies  # noqa: F401
    from katakit.zoo import zoo_problem

    if problem := zoo_problem():
        raise SystemExit(problem)
    with _quietly():
        zoo = _zoo_folders()
        _prepare_hypothesis()  # hypothesis warns that a plugin does this early: on purpose, here
    torch.set_rng_state(torch_rng)
    gc.collect()
    gc.freeze()  # every child's garbage collections skip what the parent made, and its pages stay shared
    return WarmState(torch_rng=torch_rng, zoo=zoo, imported=frozenset(sys.modules))


def warm_up_the_rest(warm: WarmState) -> Iterator[WarmState | None]:
    """The second part, in steps of a tenth of a second or so, done while the parent waits for its next request
    (a learner reads the first verdict): the library's lazy set-up and the reference objects. Yields None after
    each step, so that a request that comes meanwhile is served first; the warmed state last. Only the children
    forked after it have what it made."""
    import torch

    import katakit.fixtures

    for exercise in LIBRARY_EXERCISES:
        with _quietly():
            try:
                exercise(warm.zoo)
            except Exception:  # only an optimisation: a library version that differs here still runs the katas
                pass
        yield None
    references = katakit.fixtures.warm_references()
    while True:
        with _quietly():  # each step quiet, and nothing of it left on while a request is served
            try:
                next(references)
            except StopIteration:
                break
            except Exception:  # the same: each child then makes its references itself, and reports what fails
                katakit.fixtures.WARM_REFERENCES.clear()
                katakit.fixtures.TEMPLATES.clear()
                break
        yield None
    torch.set_rng_state(warm.torch_rng)
    gc.collect()
    gc.freeze()
    yield WarmState(torch_rng=warm.torch_rng, zoo=warm.zoo, imported=frozenset(sys.modules))


def fresh_process_state(warm: WarmState) -> None:
    """In a run's child: the random generators as a new interpreter starts them, so that every run draws
    new hypothesis examples, as a plain `pytest` does, and torch starts from its default seed; and no
    warning about the modules the parent imported."""
    import torch

    random.seed()
    torch.set_rng_state(warm.torch_rng)
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed()
    _no_rewrite_warnings_for(warm.imported)


def _no_rewrite_warnings_for(imported: frozenset[str]) -> None:
    """pytest would rewrite the asserts of plugin modules (none of the course's has one) and warns when one
    was imported before it could: here the warm parent imported them, on purpose. Other modules still warn."""
    try:
        from _pytest.assertion.rewrite import AssertionRewritingHook

        warn = AssertionRewritingHook._warn_already_imported
    except (ImportError, AttributeError):
        return

    def warn_unless_warm(hook, name):
        if name not in imported:
            warn(hook, name)

    AssertionRewritingHook._warn_already_imported = warn_unless_warm


def _zoo_folders() -> dict[str, Path]:
    from katakit.zoo import course_models, model_dir, zoo_seed

    folders = {}
    for name, params in course_models():
        label = name if not params else f"{name}-{params.get('hidden_size')}"
        folders.setdefault(label, model_dir(name, seed=zoo_seed(), **params))
    return folders


TEXTS = ["Hello world", "a longer text to pad"]


def _causal_lms(zoo: dict[str, Path]) -> None:
    import torch
    import transformers

    for name in ("gpt2", "llama"):
        tokenizer = transformers.AutoTokenizer.from_pretrained(zoo[name])
        model = transformers.AutoModelForCausalLM.from_pretrained(zoo[name])
        tokenizer.pad_token = tokenizer.pad_token or tokenizer.eos_token
        tokenizer.padding_side = "left"
        batch = tokenizer(TEXTS, padding=True, return_tensors="pt")
        with torch.no_grad():
            model(**batch, labels=batch["input_ids"], output_hidden_states=True)
            model.generate(**batch, do_sample=False, max_new_tokens=2)
            model.generate(
                **batch,
                do_sample=True,
                top_k=5,
                top_p=0.9,
                temperature=0.8,
                max_new_tokens=2,
                return_dict_in_generate=True,
                output_scores=True,
            )
        tokenizer.batch_decode(batch["input_ids"], skip_special_tokens=True)
        tokenizer.convert_ids_to_tokens(batch["input_ids"][0])
        transformers.pipeline("text-generation", model=str(zoo[name]))("Hello", do_sample=False, max_new_tokens=2)


def _chat(zoo: dict[str, Path]) -> None:
    import transformers

    tokenizer = transformers.AutoTokenizer.from_pretrained(zoo["llama"])
    tokenizer.apply_chat_template(
        [{"role": "user", "content": "Hello"}], add_generation_prompt=True, return_tensors="pt"
    )


def _encoders(zoo: dict[str, Path]) -> None:
    import torch
    import transformers

    folder = str(zoo["bert"])
    tokenizer = transformers.AutoTokenizer.from_pretrained(folder)
    tokenizer(TEXTS[0], TEXTS[1], return_offsets_mapping=True, truncation=True, max_length=8)
    transformers.AutoConfig.from_pretrained(folder)
    with torch.no_grad():
        for auto_class in ("AutoModel", "AutoModelForMaskedLM"):
            model = getattr(transformers, auto_class).from_pretrained(folder)
            model(**tokenizer(TEXTS, padding=True, return_tensors="pt"), output_hidden_states=True)
    transformers.pipeline("fill-mask", model=folder)("hello [MASK]")
    transformers.pipeline("feature-extraction", model=folder)("hello")


def _classifiers(zoo: dict[str, Path]) -> None:
    import transformers

    transformers.AutoModelForSequenceClassification.from_pretrained(zoo["sentiment"])
    transformers.pipeline("text-classification", model=str(zoo["sentiment"]))(TEXTS)
    transformers.AutoModelForTokenClassification.from_pretrained(zoo["ner"])
    transformers.pipeline("token-classification", model=str(zoo["ner"]), aggregation_strategy="simple")(TEXTS)


def _images(zoo: dict[str, Path]) -> None:
    import torch
    import transformers
    from PIL import Image

    image = Image.new("RGB", (32, 32), "red")
    transformers.pipeline("image-classification", model=str(zoo["vit"]))(image)
    processor = transformers.AutoImageProcessor.from_pretrained(zoo["vit"])
    with torch.no_grad():
        transformers.AutoModelForImageClassification.from_pretrained(zoo["vit"])(
            **processor(image, return_tensors="pt")
        )


LIBRARY_EXERCISES = (_causal_lms, _chat, _encoders, _classifiers, _images)


def _prepare_hypothesis() -> None:
    """Hypothesis draws on the constants of the course's own modules (it scans each module once) and works
    out the characters a text strategy may draw when the strategy is first validated (seconds)."""
    import inspect

    from hypothesis.strategies import SearchStrategy

    import katakit.strategies

    try:
        from hypothesis.internal.conjecture.providers import _get_local_constants

        _get_local_constants()
    except ImportError:  # another hypothesis: the child does it instead
        pass
    for make in vars(katakit.strategies).values():
        if inspect.isfunction(make) and make.__module__ == katakit.strategies.__name__:
            strategy = make()
            if isinstance(strategy, SearchStrategy):
                strategy.validate()


@contextlib.contextmanager
def _quietly():
    """The warm-up's warnings and log lines go nowhere, and leave no trace in the filters, the loggers or
    the registries of warnings already shown (a child would not show them again)."""
    loggers = {name: logging.getLogger(name).level for name in ("transformers", "huggingface_hub", "torch")}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            for name in loggers:
                logging.getLogger(name).setLevel(logging.CRITICAL)
            yield
        finally:
            for name, level in loggers.items():
                logging.getLogger(name).setLevel(level)
