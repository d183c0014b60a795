"""Record how a learner's code calls a library method, without changing what the method does."""

from __future__ import annotations

import functools


def record_calls(obj, method_name: str) -> list[dict]:
    """Wrap `obj.method_name` on this instance only; returns the list each call's kwargs go into."""
    calls: list[dict] = []
    original = getattr(obj, method_name)

    @functools.wraps(original)
    def recorder(*args, **kwargs):
        calls.append({"args": args, "kwargs": kwargs})
        return original(*args, **kwargs)

    setattr(obj, method_name, recorder)
    return calls
