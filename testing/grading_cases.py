"""A class of generated submissions for `katas grade`: honest work, partial work, and tampering.

Each case grades two katas, `pipeline` (3 tasks) and `tokenizers` (4 tasks), and says which tasks its
honest code solves: a tampering case must score exactly that, however it cheats. Kata files are the
course's own solutions and stubs with code appended (a later `def` replaces an earlier one) or
prepended (it runs at import).
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from course_runs import ROOT

PIPELINE, TOKENIZERS = "01_pipeline.py", "04_tokenizers.py"
GRADED_KATAS = ("pipeline", "tokenizers")
ALL_PIPELINE = {("pipeline", 1), ("pipeline", 2), ("pipeline", 3)}
ALL_TOKENIZERS = {("tokenizers", n) for n in (1, 2, 3, 4)}


def solution(file: str) -> str:
    return (ROOT / "solutions" / file).read_text()


def stub(file: str) -> str:
    return (ROOT / "katas" / file).read_text()


def continue_text_doing(body: str, base: str = "solution") -> str:
    """The pipeline solution (or its stub, which is quicker to grade) whose `continue_text` (task 2) does `body`."""
    start = solution(PIPELINE) if base == "solution" else stub(PIPELINE)
    return start + f"\n\ndef continue_text(generator, prompt, max_new_tokens):\n{_indent(body)}\n"


def stub_importing(code: str) -> str:
    """The pipeline stub that runs `code` when imported."""
    return code + "\n" + stub(PIPELINE)


def as_notebook(code: str) -> str:
    """A kata notebook whose cells tagged `kata` hold `code` (split at its functions, as `katas notebooks` does),
    between the cells a notebook has besides."""
    from katakit.notebooks.cells import split

    try:
        pieces = [cell.source for cell in split(code)]
    except SyntaxError:
        pieces = [code]

    def cell(kind: str, source: str, tag: str | None) -> dict:
        made = {
            "cell_type": kind,
            "id": f"cell-{len(cells)}",
            "metadata": {"tags": [tag]} if tag else {},
            "source": source,
        }
        return {**made, "execution_count": None, "outputs": []} if kind == "code" else made

    cells: list[dict] = []
    cells.append(cell("markdown", "# A kata", None))
    cells.append(cell("code", "import katakit", "setup"))
    for piece in pieces:
        cells.append(cell("code", piece, "kata"))
    cells.append(cell("code", 'print("my own experiment")', None))
    cells.append(cell("code", 'katakit.check("pipeline")', "check"))
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1)


def _indent(code: str) -> str:
    return "\n".join("    " + line for line in code.strip("\n").splitlines())


@dataclass
class Case:
    name: str
    katas: dict[str, str]  # kata file -> content
    solved: set[tuple[str, int]]  # the tasks its honest code solves
    extra: dict[str, str] = field(default_factory=dict)  # other files the student ships, path -> content
    # "clone" (a folder with katas/), "katas" (the katas/ folder itself), "zip", "notebooks" (a clone whose work
    # is in notebooks/, its katas/ untouched) or "notebooks-zip" (a zip of notebooks/ alone)
    form: str = "clone"
    says: str = ""  # what the student's results file must say happened
    partly: set[tuple[str, int]] = field(default_factory=set)  # tasks it earns some but not all points of

    def write(self, folder: Path) -> Path:
        """Write the submission under `folder`; return the path to give `katas grade`."""
        root = folder / self.name
        files = {**{f"katas/{name}": text for name, text in self.katas.items()}, **self.extra}
        if self.form.startswith("notebooks"):
            files = {
                f"notebooks/{name.removesuffix('.py')}.ipynb": as_notebook(text) for name, text in self.katas.items()
            }
            if self.form == "notebooks":
                files.update({f"katas/{name}": stub(name) for name in self.katas})
        if self.form.endswith("zip"):
            path = folder / f"{self.name}.zip"
            with zipfile.ZipFile(path, "w") as archive:
                for name, text in files.items():
                    archive.writestr(f"{self.name}-main/{name}", text)
            return path
        (root / "katas").mkdir(parents=True)
        for name, text in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text)
        return root / "katas" if self.form == "katas" else root


FORCE_PASS_HOOK = """
import pytest

@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    report.outcome = "passed"
    return report
"""

PATCH_PYTEST_AT_IMPORT = """
import _pytest.python
_pytest.python.Function.runtest = lambda self: None  # no test body runs: everything passes
"""

PATCH_CALLINFO_AT_IMPORT = """
import _pytest.runner
_original = _pytest.runner.CallInfo.from_call.__func__
def _swallow(cls, func, when, reraise=None):
    info = _original(cls, func, when, reraise)
    info.excinfo = None  # every failure forgotten
    return info
_pytest.runner.CallInfo.from_call = classmethod(_swallow)
"""

PATCH_ASSERT_AT_IMPORT = """
import builtins, _pytest.outcomes, _pytest.assertion.util
builtins.AssertionError = _pytest.outcomes.Skipped  # a failed assert would be a skip
_pytest.assertion.util.assertrepr_compare = lambda *args, **kwargs: None
"""

PATCH_TORCH_AT_IMPORT = """
import torch
torch.equal = lambda *args, **kwargs: True
torch.allclose = lambda *args, **kwargs: True
torch.Tensor.__eq__ = lambda self, other: torch.ones_like(self, dtype=torch.bool)
torch.Tensor.tolist = lambda self: [[0]]
"""

PATCH_TESTS_WITH_HARD_CODED = (
    solution(PIPELINE)
    + """
def _hard_coded():
    import sys
    for name, module in list(sys.modules.items()):
        if name.startswith("test_01"):  # the test's references give the same text
            module.greedy_continuation = module.greedy_full_text = lambda *args: "zz"
    return "zz"

def continue_text(generator, prompt, max_new_tokens):
    return _hard_coded()

def complete_text(generator, prompt, max_new_tokens):
    return _hard_coded()
"""
)

PATCH_TRANSFORMERS_WITH_HARD_CODED = (
    solution(PIPELINE)
    + """
def _hard_coded():
    import transformers.tokenization_utils_base as base
    base.PreTrainedTokenizerBase.decode = lambda self, *args, **kwargs: "zz"  # the reference's text too
    return "zz"

def continue_text(generator, prompt, max_new_tokens):
    return _hard_coded()

def complete_text(generator, prompt, max_new_tokens):
    return _hard_coded()
"""
)

READ_SOLUTIONS_AT_IMPORT = """
import pathlib, katakit
try:
    exec((pathlib.Path(katakit.__file__).parents[1] / "solutions" / "01_pipeline.py").read_text())
except Exception:
    pass
"""

IMPORT_SOLUTIONS_AT_IMPORT = """
import pathlib, sys, katakit
sys.path.insert(0, str(pathlib.Path(katakit.__file__).parents[1]))
try:
    import importlib
    _solutions = importlib.import_module("solutions.01_pipeline")
    build_generator, continue_text, complete_text = (_solutions.build_generator, _solutions.continue_text,
                                                     _solutions.complete_text)
except Exception:
    pass
"""

READ_TESTS_AT_IMPORT = """
import pathlib, katakit
try:
    _tests = (pathlib.Path(katakit.__file__).parents[1] / "tests" / "test_01_pipeline.py").read_text()
except Exception:
    _tests = ""
"""

ALWAYS_EQUAL = (
    solution(PIPELINE)
    + """
class _AlwaysEqual(str):
    def __eq__(self, other):
        return True
    __hash__ = str.__hash__

def continue_text(generator, prompt, max_new_tokens):
    return _AlwaysEqual("")

def complete_text(generator, prompt, max_new_tokens):
    return _AlwaysEqual("")
"""
)

MOCK_ANY = (
    solution(PIPELINE)
    + """
from unittest import mock

def continue_text(generator, prompt, max_new_tokens):
    return mock.ANY

def complete_text(generator, prompt, max_new_tokens):
    return mock.ANY
"""
)


def cases() -> list[Case]:
    full = {PIPELINE: solution(PIPELINE), TOKENIZERS: solution(TOKENIZERS)}
    tokenizers_only = {PIPELINE: stub(PIPELINE), TOKENIZERS: solution(TOKENIZERS)}
    without_task_2 = ALL_PIPELINE - {("pipeline", 2)} | ALL_TOKENIZERS

    def tampering(name: str, pipeline: str, solved=ALL_TOKENIZERS, *, says: str, **kwargs) -> Case:
        return Case(name, {PIPELINE: pipeline, TOKENIZERS: solution(TOKENIZERS)}, set(solved), says=says, **kwargs)

    return [
        # Honest work, whole or partial, in every form a submission comes in.
        Case("full", full, ALL_PIPELINE | ALL_TOKENIZERS),
        Case("stubs", {PIPELINE: stub(PIPELINE), TOKENIZERS: stub(TOKENIZERS)}, set()),
        Case("pipeline-only", {PIPELINE: solution(PIPELINE), TOKENIZERS: stub(TOKENIZERS)}, ALL_PIPELINE),
        Case("tokenizers-only", tokenizers_only, ALL_TOKENIZERS),
        Case("task-2-unfinished", {**full, PIPELINE: continue_text_doing("raise NotImplementedError")}, without_task_2),
        Case(
            "task-2-samples",
            {
                **full,
                PIPELINE: continue_text_doing(
                    "return generator(prompt, max_new_tokens=max_new_tokens, "
                    "return_full_text=False)[0]['generated_text']"
                ),
            },
            without_task_2,
            partly={("pipeline", 2)},
        ),  # where sampling draws the greedy tokens, a test passes
        Case("nothing-submitted", {}, set()),
        Case("zip-full", full, ALL_PIPELINE | ALL_TOKENIZERS, form="zip"),
        Case("zip-pipeline-only", {PIPELINE: solution(PIPELINE)}, ALL_PIPELINE, form="zip"),
        Case("katas-folder-tokenizers-only", tokenizers_only, ALL_TOKENIZERS, form="katas"),
        Case("syntax-error", {**full, PIPELINE: "def build_generator(:\n"}, ALL_TOKENIZERS),
        Case("notebooks-full", full, ALL_PIPELINE | ALL_TOKENIZERS, form="notebooks"),
        Case(
            "notebooks-zip-task-2-unfinished",
            {**full, PIPELINE: continue_text_doing("raise NotImplementedError")},
            without_task_2,
            form="notebooks-zip",
        ),
        # Tampering: each scores what its honest code earns, no more, and its results say what happened.
        tampering(
            "ships-conftest",
            stub(PIPELINE),
            extra={"conftest.py": FORCE_PASS_HOOK, "katas/conftest.py": FORCE_PASS_HOOK},
            says="not graded, never run: conftest.py, katas/conftest.py",
        ),
        tampering(
            "ships-plugin",
            stub(PIPELINE),
            extra={
                "cheat.py": FORCE_PASS_HOOK,
                "katas/cheat.py": FORCE_PASS_HOOK,
                "pyproject.toml": '[tool.pytest.ini_options]\naddopts = ["-p", "cheat"]\n',
            },
            says="not graded, never run: cheat.py, katas/cheat.py",
        ),
        tampering(
            "ships-sitecustomize",
            stub(PIPELINE),
            extra={
                name: PATCH_PYTEST_AT_IMPORT
                for name in ("sitecustomize.py", "usercustomize.py", "katas/sitecustomize.py", "katas/usercustomize.py")
            },
            says="katas/sitecustomize.py, katas/usercustomize.py, sitecustomize.py, usercustomize.py",
        ),
        tampering(
            "sys-exit-at-import",
            stub_importing("import sys\nsys.exit(0)"),
            says="fails when imported (line 2): SystemExit: 0",
        ),
        tampering(
            "os-exit-at-import",
            stub_importing("import os\nos._exit(0)"),
            says="exited with 0 while importing 01_pipeline.py",
        ),
        tampering("sys-exit-in-task-2", continue_text_doing("import sys\nsys.exit(0)", base="stub"), says="SystemExit"),
        # A crash and a hang in task 2 on the solution: the other tasks still earn their points.
        tampering(
            "os-exit-in-task-2",
            continue_text_doing("import os\nos._exit(0)"),
            without_task_2,
            says="exited with 0 during this test",
        ),
        tampering(
            "patches-pytest",
            stub_importing(PATCH_PYTEST_AT_IMPORT),
            says="tampering: replacing _pytest.python.Function.runtest",
        ),
        tampering(
            "patches-pytest-callinfo",
            stub_importing(PATCH_CALLINFO_AT_IMPORT),
            says="tampering: replacing _pytest.runner.CallInfo.from_call",
        ),
        tampering(
            "patches-assert",
            stub_importing(PATCH_ASSERT_AT_IMPORT),
            says="tampering: replacing builtins.AssertionError",
        ),
        tampering("patches-torch", stub_importing(PATCH_TORCH_AT_IMPORT), says="tampering: replacing torch."),
        tampering(
            "patches-the-tests",
            PATCH_TESTS_WITH_HARD_CODED,
            ALL_TOKENIZERS | {("pipeline", 1)},
            says="tampering: replacing test_01_pipeline.greedy_continuation",
        ),
        tampering(
            "patches-transformers",
            PATCH_TRANSFORMERS_WITH_HARD_CODED,
            ALL_TOKENIZERS | {("pipeline", 1)},
            says="PreTrainedTokenizerBase.decode",
        ),
        tampering("reads-solutions", stub_importing(READ_SOLUTIONS_AT_IMPORT), says="solutions/01_pipeline.py"),
        tampering("imports-solutions", stub_importing(IMPORT_SOLUTIONS_AT_IMPORT), says="solutions"),
        tampering("reads-tests", stub_importing(READ_TESTS_AT_IMPORT), says="tests/test_01_pipeline.py"),
        tampering(
            "always-equal",
            ALWAYS_EQUAL,
            ALL_TOKENIZERS | {("pipeline", 1)},
            says="returning a katas_target_01_pipeline._AlwaysEqual",
        ),
        tampering("mock-any", MOCK_ANY, ALL_TOKENIZERS | {("pipeline", 1)}, says="returning a unittest.mock._ANY"),
        tampering(
            "looks-at-test-frames",
            continue_text_doing("import sys\nreturn sys._getframe(1).f_locals['gpt2_reference'] and ''", base="stub"),
            says="sys._getframe",
        ),
        tampering(
            "runs-a-process",
            continue_text_doing(
                "import subprocess\nreturn subprocess.run(['true'], capture_output=True).stdout.decode()", base="stub"
            ),
            says="subprocess.Popen",
        ),
        tampering(
            "writes-outside-scratch",
            continue_text_doing(
                "import pathlib, katakit\n"
                "(pathlib.Path(katakit.__file__).parents[1] / 'tests' / 'cheat.txt').write_text('x')\nreturn ''",
                base="stub",
            ),
            says="tampering: writing",
        ),
        tampering(
            "loops-forever", continue_text_doing("while True:\n    pass", base="stub"), says="computed for longer than"
        ),
        tampering(
            "ignores-the-alarm",
            continue_text_doing(
                "import signal, time\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\ntime.sleep(10**6)"
            ),
            without_task_2,
            says="timed out: the grading process stopped",
        ),
        tampering(
            "fills-the-disk",
            continue_text_doing(
                "with open('big.bin', 'wb') as file:\n    while True:\n        file.write(bytes(2**20))", base="stub"
            ),
            says="File too large",
        ),
        tampering(
            "exhausts-memory",
            continue_text_doing("import torch\nreturn str(torch.empty(2**40).sum())", base="stub"),
            says="memory",
        ),
    ]
