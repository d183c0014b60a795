"""Did the kata leave its arguments alone? A copy taken before the call, compared after it.

A function that reads its inputs must not change them: the caller still holds them. A kata that sorts
the caller's list of texts, writes into an input tensor, pops a key of a dict, or switches the caller's
model to training mode or changes its weights passes a test that never looks, and breaks the code around it.

    kept = keep(texts=texts, model=model)
    got = kata.embed_batch(tokenizer, model, texts)
    problem = kept.changed(called)
    assert problem is None, problem
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from katakit.i18n import _


class Kept:
    def __init__(self, arguments: dict[str, Any]):
        self._arguments = arguments
        self._copies = {name: _copy(value) for name, value in arguments.items()}

    def changed(self, called: str) -> str | None:
        """A message naming the first argument the call changed, else None."""
        for name, value in self._arguments.items():
            problem = _difference(value, self._copies[name])
            if problem:
                return _(
                    "{call} changed its argument `{argument}`: {problem}. A function must leave what it is "
                    "given as it was, the caller still uses it: work on a copy, or on new objects.",
                    call=called,
                    argument=name,
                    problem=problem,
                )
        return None


def keep(**arguments) -> Kept:
    """Copies of `arguments` (tensors, lists, dicts, models), to compare with after the kata's call."""
    return Kept(arguments)


def _is_model(value) -> bool:
    import torch

    return isinstance(value, torch.nn.Module)


def _copy(value):
    if _is_model(value):
        return {
            "modes": [module.training for module in value.modules()],
            "weights": {name: tensor.detach().clone() for name, tensor in value.state_dict().items()},
        }
    return copy.deepcopy(value)


def _difference(value, before) -> str | None:
    import torch

    if _is_model(value):
        modes = [module.training for module in value.modules()]
        if modes != before["modes"]:
            if value.training:
                return _(
                    "the model is left in training mode (model.train() / model.eval() switch it for the caller too)"
                )
            return _("the model is left in eval mode (model.train() / model.eval() switch it for the caller too)")
        weights = value.state_dict()
        for name, tensor in before["weights"].items():
            if name not in weights or not torch.equal(weights[name], tensor):
                return _("the model's weight `{weight}` is not what it was", weight=name)
        return None
    if isinstance(before, torch.Tensor) and isinstance(value, torch.Tensor) and value.shape == before.shape:
        if not _same(value, before):
            return _("its values were written to in place (a tensor of shape {shape})", shape=str(tuple(value.shape)))
        return None
    if not _same(value, before):
        return _("it was {before} before the call and is {after} after it", before=_shown(before), after=_shown(value))
    return None


def _same(value, before) -> bool:
    import torch

    if isinstance(before, torch.Tensor):
        return (
            isinstance(value, torch.Tensor)
            and value.shape == before.shape
            and value.dtype == before.dtype
            and torch.equal(value, before)
        )
    if isinstance(before, Mapping):  # dicts, and the tokenizer's BatchEncoding
        return (
            isinstance(value, Mapping)
            and list(value) == list(before)
            and all(_same(value[key], before[key]) for key in before)
        )
    if isinstance(before, (list, tuple)):
        return (
            type(value) is type(before)
            and len(value) == len(before)
            and all(_same(mine, theirs) for mine, theirs in zip(value, before, strict=True))
        )
    try:
        return bool(value == before)
    except Exception:  # an object without a meaningful ==: nothing to compare
        return True


def _shown(value) -> str:
    import torch

    if isinstance(value, torch.Tensor):
        text = (
            repr(value.tolist())
            if value.numel() <= 8
            else _("a tensor of shape {shape}", shape=str(tuple(value.shape)))
        )
    else:
        text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


class KeptGenerationConfig:
    """`model.generation_config` as it was before the kata's call, to compare with after it (see
    `keep_generation_config`)."""

    def __init__(self, model):
        self._model = model
        self._before = model.generation_config.to_dict()

    def changed(self, called: str) -> str | None:
        """A message naming the generation options the call changed on the model, else None."""
        now = self._model.generation_config.to_dict()
        keys = sorted(
            key
            for key in set(self._before) | set(now)
            if key != "transformers_version" and self._before.get(key) != now.get(key)
        )
        if not keys:
            return None
        shown = ", ".join(f"{key}: {self._before.get(key)!r} -> {now.get(key)!r}" for key in keys[:4])
        return _(
            "{call} changed the model's generation_config ({changes}). Every later generate() of the caller "
            "now runs with that too: pass generation options to the call itself "
            "(generate(..., do_sample=False) or generator(prompt, do_sample=False)) instead.",
            call=called,
            changes=shown,
        )


def keep_generation_config(model) -> KeptGenerationConfig:
    """The generation options of `model` (its `generation_config`), to compare with after the kata's call:
    a kata that makes generation greedy by setting `model.generation_config.do_sample = False` passes every
    test of its output, and changes what the caller's model does from then on. `keep` sees only weights and mode.

        kept_config = keep_generation_config(model)
        got = kata.generate_text(tokenizer, model, prompt, 8)
        problem = kept_config.changed(called)
        assert problem is None, problem
    """
    return KeptGenerationConfig(model)
