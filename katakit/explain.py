"""Failure messages that teach: they name the call, what was expected, what came back, and why."""

from __future__ import annotations


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
        return f"{called} returned None: did you forget to `return` the result? {advice}".rstrip()
    names = " or ".join(t.__name__ for t in (expected if isinstance(expected, tuple) else (expected,)))
    shown = _short(value)
    got = shown if shown == type(value).__name__ else f"{type(value).__name__} {shown}"
    return f"{called} returned {got}; expected a {names}. {advice}".rstrip()


def mismatch(called: str, got, expected, advice: str) -> str:
    return f"{called}\n  returned: {got!r}\n  expected: {expected!r}\n{advice}"


def tensor_problem(got, expected, called: str, shape_names: str, advice: str) -> str | None:
    """A message if `got` is not a tensor like `expected` (type, shape, values), else None.

    `shape_names` says what each dimension is, e.g. "(batch, sequence, hidden_size)".
    """
    import torch

    if not isinstance(got, torch.Tensor):
        return wrong_type(got, torch.Tensor, called, "Which field of the model's output holds this tensor?")
    if tuple(got.shape) != tuple(expected.shape):
        return (f"{called} returned shape {tuple(got.shape)}; expected {tuple(expected.shape)} = "
                f"{shape_names}. {advice}")
    if got.dtype != expected.dtype:
        return f"{called} returned a {got.dtype} tensor; expected {expected.dtype}, as the library gives. {advice}"
    if not torch.allclose(got.detach().float(), expected.float(), atol=1e-5, rtol=1e-4):
        worst = (got.detach().float() - expected.float()).abs().max().item()
        return f"{called} returned the right shape but other values (largest difference {worst:.3g}). {advice}"
    return None


def loaded_model_problem(model, reference_model, called: str, expected_kind: str) -> str | None:
    """A message if `model` is not the saved model ready for inference (its class, its weights, eval mode), else None.

    `expected_kind` describes the expected model and asks the question that points to its Auto class.
    """
    from katakit.reference import same_weights

    expected = type(reference_model).__name__
    if type(model).__name__ != expected:
        return f"{called} gave a {type(model).__name__}; expected {expected}, {expected_kind}"
    if not same_weights(model, reference_model):
        return (f"{called} gave a model with other weights than the saved ones: did you build it from its config "
                "(fresh random weights) instead of loading it with from_pretrained?")
    if model.training:
        return f"{called} gave a model in training mode (dropout on); from_pretrained gives eval mode."
    return None
