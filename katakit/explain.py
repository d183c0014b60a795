"""Failure messages that teach: they name the call, what was expected, what came back, and why."""

from __future__ import annotations

from katakit.i18n import _


def call(function: str, *args, **kwargs) -> str:
    shown = [_short(arg) for arg in args] + [f"{key}={_short(value)}" for key, value in kwargs.items()]
    return f"{function}({', '.join(shown)})"


def _short(value) -> str:
    if isinstance(value, (str, int, float, bool, type(None), list, tuple)):
        text = repr(value)
        return text if len(text) <= 60 else text[:57] + "..."
    return type(value).__name__


def wrong_type(value, expected: type | tuple[type, ...], called: str, advice: str = "") -> str | None:
    """A message if `value` is not an instance of `expected`, else None."""
    if isinstance(value, expected):
        return None
    if value is None:
        return _(
            "{call} returned None: did you forget to `return` the result? {advice}", call=called, advice=advice
        ).rstrip()
    kinds = [t.__name__ for t in (expected if isinstance(expected, tuple) else (expected,))]
    names = kinds[0]
    for kind in kinds[1:]:
        names = _("{first} or {second}", first=names, second=kind)
    shown = _short(value)
    got = shown if shown == type(value).__name__ else f"{type(value).__name__} {shown}"
    return _(
        "{call} returned {got}; expected a {type}. {advice}", call=called, got=got, type=names, advice=advice
    ).rstrip()


def mismatch(called: str, got, expected, advice: str) -> str:
    return _(
        "{call}\n  returned: {got}\n  expected: {expected}\n{advice}",
        call=called,
        got=repr(got),
        expected=repr(expected),
        advice=advice,
    )


def tensor_problem(got, expected, called: str, shape_names: str, advice: str, held_by: str | None = None) -> str | None:
    """A message if `got` is not a tensor like `expected` (type, shape, values), else None.

    `shape_names` says what each dimension is, e.g. "(batch, sequence, hidden_size)"; `held_by` what gives
    the tensor as one of its fields (by default, the model's output).
    """
    import torch

    if not isinstance(got, torch.Tensor):
        if held_by is None:
            held_by = _("the model's output")
        return wrong_type(got, torch.Tensor, called, _("Which field of {held_by} holds this tensor?", held_by=held_by))
    if tuple(got.shape) != tuple(expected.shape):
        return _(
            "{call} returned shape {got}; expected {expected} = {dimensions}. {advice}",
            call=called,
            got=str(tuple(got.shape)),
            expected=str(tuple(expected.shape)),
            dimensions=shape_names,
            advice=advice,
        )
    if got.dtype != expected.dtype:
        return _(
            "{call} returned a {got} tensor; expected {expected}, as the library gives. {advice}",
            call=called,
            got=str(got.dtype),
            expected=str(expected.dtype),
            advice=advice,
        )
    if not torch.allclose(got.detach().float(), expected.float(), atol=1e-5, rtol=1e-4):
        worst = (got.detach().float() - expected.float()).abs().max().item()
        return _(
            "{call} returned the right shape but other values (largest difference {difference}). {advice}",
            call=called,
            difference=format(worst, ".3g"),
            advice=advice,
        )
    return None


def loaded_model_problem(model, reference_model, called: str, expected_kind: str) -> str | None:
    """A message if `model` is not the saved model ready for inference (its class, its weights, eval mode), else None.

    `expected_kind` describes the expected model and asks the question that points to its Auto class.
    """
    from katakit.reference import same_weights

    expected = type(reference_model).__name__
    if type(model).__name__ != expected:
        return _(
            "{call} gave a {got}; expected {expected}, {expected_kind}",
            call=called,
            got=type(model).__name__,
            expected=expected,
            expected_kind=expected_kind,
        )
    if model.dtype != reference_model.dtype:
        return _(
            "{call} gave a model in {got}; the saved one loads in {expected}. Did you "
            "pass dtype= or call .half()? Load it as saved.",
            call=called,
            got=str(model.dtype),
            expected=str(reference_model.dtype),
        )
    if not same_weights(model, reference_model):
        return _(
            "{call} gave a model with other weights than the saved ones: did you build it from its config "
            "(fresh random weights) instead of loading it with from_pretrained?",
            call=called,
        )
    if model.training:
        return _(
            "{call} gave a model in training mode (dropout on); from_pretrained gives eval mode.",
            call=called,
        )
    return None


def structure_problem(got, expected, called: str, where: str = "") -> str | None:
    """A message if `got` is not built like `expected` (the library's own result), else None.

    Types are compared exactly, before any value: a tensor where the statement promises a list of ints,
    a numpy or tensor scalar where it promises a Python int or float, a tuple for a list, a dict with a key
    missing. Containers are walked to the bottom, so every field counts, not two of three.
    `where` names the part being compared (`[0]['score']`).
    """
    import torch

    name = f"{called}{where}" if where else called
    if isinstance(expected, bool) or isinstance(expected, (str, torch.Tensor, type(None))):
        kind = type(expected)
    elif isinstance(expected, int):
        kind = int
    elif isinstance(expected, float):
        kind = float
    elif isinstance(expected, (list, tuple, dict)):
        kind = type(expected)
    else:
        return None  # an object of the library's: its own checks say more
    if kind in (int, float):
        if isinstance(got, bool) or not isinstance(got, kind):
            return _structure_type(got, kind, name)
        return None
    if not isinstance(got, kind):
        return _structure_type(got, kind, name)
    if kind is dict:  # every key promised; one more is harmless (the pipeline's own dicts have more)
        missing = sorted(set(expected) - set(got), key=str)
        if missing:
            return _(
                "{result}: the dict has no {missing}; expected the keys {expected}.",
                result=name,
                missing=", ".join(map(repr, missing)),
                expected=str(sorted(expected, key=str)),
            )
        pairs = [(f"[{key!r}]", got[key], expected[key]) for key in expected]
    elif kind in (list, tuple):
        if len(got) != len(expected):
            return _("{result}: {got} items; expected {expected}.", result=name, got=len(got), expected=len(expected))
        pairs = [(f"[{index}]", mine, theirs) for index, (mine, theirs) in enumerate(zip(got, expected, strict=True))]
    else:
        return None
    for step, mine, theirs in pairs:
        problem = structure_problem(mine, theirs, called, where + step)
        if problem:
            return problem
    return None


def _structure_type(got, kind: type, name: str) -> str:
    if got is None:
        return _("{result} is None: did you forget to `return` it?", result=name)
    shown = _short(got)
    described = shown if shown == type(got).__name__ else f"{type(got).__name__} {shown}"
    if kind.__name__[0] in "aeiou":
        problem = _("{result} is a {got}; expected an {type}.", result=name, got=described, type=kind.__name__)
    else:
        problem = _("{result} is a {got}; expected a {type}.", result=name, got=described, type=kind.__name__)
    hints = {
        int: _("Convert a tensor or numpy number with `.item()` or int()."),
        float: _("Convert a tensor or numpy number with `.item()` or float()."),
        list: _("A tensor's `.tolist()` gives a list of Python numbers."),
    }
    return f"{problem} {hints[kind]}" if kind in hints else problem


def noted(text: str) -> None:
    """hypothesis' `note(text)` inside a property test, nothing elsewhere: a check shared by a `@given` test and a
    plain one can note what a learner needs to see (plain `note` raises outside a property test)."""
    from hypothesis import note
    from hypothesis.control import currently_in_test_context

    if currently_in_test_context():
        note(text)
