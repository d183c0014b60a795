"""A failure whose cause is an earlier task: which task to fix first.

Later tasks build on earlier ones: kata 7's ranking calls the learner's own embedding and similarity
functions, a test of task 3 may call task 1's function to get its input. When such an earlier task
fails in the same run, the later task's failure says so, instead of teaching about the later task only.
Which function belongs to which task comes from the pristine stub (its docstrings start with the
task's number); which ones a task uses, from the learner's own code and the test's source.
"""

from __future__ import annotations

import ast
import functools
import inspect
from pathlib import Path

from katakit.i18n import _


def task_number(function: ast.FunctionDef) -> int | None:
    """The task a kata function belongs to: its docstring's leading "N.", or None."""
    head = (ast.get_docstring(function) or "").split(".", 1)[0]
    return int(head) if head.isdigit() else None


@functools.cache
def functions_by_task(stub: Path) -> dict[str, int]:
    """Each task function of a stub: its name -> its task number."""
    numbered = (
        (node.name, task_number(node))
        for node in ast.parse(stub.read_text(encoding="utf-8")).body
        if isinstance(node, ast.FunctionDef)
    )
    return {name: number for name, number in numbered if number is not None}


def _called_names(source: str, functions: set[str]) -> set[str]:
    """The names called inside the module-level `functions` of `source`."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    called = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in functions:
            called |= {
                call.func.id
                for call in ast.walk(node)
                if isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
            }
    return called


def earlier_functions_used(stub: Path, kata_source: str, task: int, test_function) -> dict[str, int]:
    """The functions of earlier tasks that `task`'s own functions in the learner's `kata_source`, or the test, call."""
    tasks = functions_by_task(stub)
    earlier = {name: number for name, number in tasks.items() if number < task}
    if not earlier:
        return {}
    mine = {name for name, number in tasks.items() if number == task}
    used = _called_names(kata_source, mine)
    try:
        test_source = inspect.getsource(test_function)
    except (OSError, TypeError):
        test_source = ""
    used |= {name for name in earlier if f"kata.{name}(" in test_source}
    return {name: earlier[name] for name in sorted(used & set(earlier))}


def fix_first(used: dict[str, int], failing_tasks: set[int]) -> str:
    """A line pointing back to the earliest failing task whose function is used, or ""."""
    culprits = {name: number for name, number in used.items() if number in failing_tasks}
    if not culprits:
        return ""
    first = min(culprits.values())
    names = ", ".join(f"`{name}`" for name, number in culprits.items() if number == first)
    return _(
        "Task {task} of this kata fails too, and this task uses its {functions}: fix task {task} first, "
        "then run this task's tests again.",
        task=first,
        functions=names,
    )
