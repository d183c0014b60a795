"""A kata file as notebook cells, and back: the one rule that `katas notebooks` writes by, the check in the kernel
relies on and `katas grade` reads notebooks with.

A kata notebook's code cells tagged `kata` hold the kata file: the first holds its docstring and imports, each
other one a top-level function (with the comments above it). Joined in order (`join`), they are the kata file:
for an untouched notebook, its stub byte for byte. Cells tagged `setup` make the notebook find or fetch the
course; cells tagged `check` run the tests of the tasks so far (katakit.notebooks.kernel).
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass

KATA_TAG, SETUP_TAG, CHECK_TAG = "kata", "setup", "check"
SEPARATOR = "\n\n\n"  # two blank lines between top-level definitions, as the stubs have them


@dataclass(frozen=True)
class KataCell:
    source: str
    task: int | None  # the task whose function the cell holds; None for the docstring and imports, and helpers


def split(stub: str) -> list[KataCell]:
    """The kata file as cells: its head (docstring, imports, constants), then one cell per top-level function or
    class, starting at its decorators or the comment lines just above it."""
    from katakit.root_cause import task_number

    lines = stub.splitlines(keepends=True)
    starts = []
    for node in ast.parse(stub).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            first = min([node.lineno, *(decorator.lineno for decorator in node.decorator_list)]) - 1
            while first > 0 and lines[first - 1].lstrip().startswith("#"):
                first -= 1
            number = task_number(node) if not isinstance(node, ast.ClassDef) else None
            starts.append((first, number))
    bounds = [0, *(first for first, _ in starts), len(lines)]
    tasks = [None, *(number for _, number in starts)]
    cells = [
        KataCell("".join(lines[begin:end]).strip("\n"), task)
        for begin, end, task in zip(bounds, bounds[1:], tasks, strict=False)
    ]
    return [cell for cell in cells if cell.source]


def join(sources: list[str]) -> str:
    """The kata file that the kata cells' sources make, in order."""
    kept = [source.strip("\n") for source in sources if source.strip()]
    return SEPARATOR.join(kept) + "\n" if kept else ""


def cell_source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def tags(cell: dict) -> list[str]:
    found = (cell.get("metadata") or {}).get("tags") or []
    return [tag for tag in found if isinstance(tag, str)] if isinstance(found, list) else []


def kata_code(notebook: dict) -> str:
    """The kata file a notebook holds: its code cells tagged `kata`, joined in order."""
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        raise ValueError("not a Jupyter notebook: no list of cells")
    return join(
        [
            cell_source(cell)
            for cell in cells
            if isinstance(cell, dict) and cell.get("cell_type") == "code" and KATA_TAG in tags(cell)
        ]
    )


def read_notebook(data: bytes) -> dict:
    """A notebook file's JSON; ValueError saying why it is not one."""
    try:
        notebook = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"not a Jupyter notebook (not JSON: {error})") from None
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        raise ValueError("not a Jupyter notebook: no list of cells")
    return notebook
