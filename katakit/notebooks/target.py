"""The kata code of a check in a notebook: the kernel's own functions, not a file (katakit.notebooks.kernel).

Registered in the check's forked child as a pytest plugin: the plugin (katakit.plugin) takes its `code`
instead of the target folder's files, and only the tests of the tasks so far are run.
"""

from __future__ import annotations

import inspect

import pytest

from katakit.i18n import N_
from katakit.loader import KataProblem

NAMED = N_("the notebook")


class NotebookKata:
    """What the tests call: the notebook's function of that name."""

    def __init__(self, namespace: dict):
        self._namespace = namespace

    def __repr__(self) -> str:
        return "<kata in the notebook>"

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._namespace[name]
        except KeyError:
            raise KataProblem(
                f"the notebook has no function `{name}`: run the cell that defines it (or every cell from the top) "
                f"before the check. The tests call `{name}` as the kata's docstring describes."
            ) from None


class NotebookCode:
    """The kata code as the kernel holds it: the functions whose globals are the notebook's namespace."""

    named = NAMED

    def __init__(self, namespace: dict):
        self.namespace = namespace

    def module(self, kata) -> NotebookKata:
        return NotebookKata(self.namespace)

    def owns(self, entry) -> bool:
        return entry.frame.f_globals is self.namespace

    def place(self, entry) -> str:
        return f"notebook cell, line {entry.lineno + 1}"

    def source(self, kata) -> str:
        sources = []
        for value in list(self.namespace.values()):
            if inspect.isfunction(value) and value.__globals__ is self.namespace:
                try:
                    sources.append(inspect.getsource(value))
                except (OSError, TypeError):
                    pass
        return "\n\n".join(sources)


class NotebookCheck:
    """The pytest plugin of a check: the notebook's code, and the tests of tasks 1 to `tasks` alone."""

    katas_notebook = True  # how katakit.plugin finds it

    def __init__(self, namespace: dict, tasks: int):
        self.code = NotebookCode(namespace)
        self.tasks = tasks

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, config, items):
        from katakit.plugin import _task_number

        later = [item for item in items if (_task_number(item) or 0) > self.tasks]
        if later:
            items[:] = [item for item in items if item not in later]
            config.hook.pytest_deselected(items=later)
