"""The kata notebooks in real Jupyter: each generated notebook executed by nbclient in an ipykernel kernel of this
Python. Untouched, every check cell shows its tasks *not started* and no cell errors; with the solution's code in
its kata cells and KATAS_NOTEBOOK_STRICT=1, every cell runs. And in one kernel: a kata that changes the kernel's
state, hangs, or lacks a function leaves the kernel as it was and usable, and a wrong function shows the message
that pytest shows for the same code in a kata file."""

from __future__ import annotations

import ast
import html
import json
import subprocess
import sys

import pytest
from course_runs import ROOT, learner_env

from katakit.manifest import load_course
from katakit.notebooks.cells import cell_source, split, tags
from katakit.notebooks.write import notebook
from katakit.runner import fork_is_safe

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytestmark = pytest.mark.skipif(not fork_is_safe(), reason="a check forks the kernel: Linux only")

COURSE = load_course(ROOT)
KATAS = list(COURSE.katas)


def execute(cells: list[dict], monkeypatch, **env: str) -> list[dict]:
    """Run the cells in a fresh kernel started in the course folder; the cells with their outputs."""
    monkeypatch.setenv("KATAS_HYPOTHESIS_PROFILE", "dev")  # the kernel's checks: the learner's quick loop
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    document = nbformat.reads(json.dumps({**notebook(COURSE, KATAS[0]), "cells": cells}), as_version=4)
    client = nbclient.NotebookClient(
        document, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    )
    client.execute()
    return document.cells


def shown(cell: dict, kind: str = "text/plain") -> str:
    return "\n".join(
        output["data"].get(kind, "") for output in cell["outputs"] if output["output_type"] == "display_data"
    )


def errors(cells: list[dict]) -> list[str]:
    return [
        f"{tags(cell)} {output['ename']}: {output['evalue']}"
        for cell in cells
        for output in cell.get("outputs", [])
        if output["output_type"] == "error"
    ]


def checked_tasks(cell: dict) -> int:
    return int(cell_source(cell).rsplit("tasks=", 1)[1].rstrip(")"))


def defined_name(source: str) -> str | None:
    defined = [node.name for node in ast.parse(source).body if isinstance(node, ast.FunctionDef | ast.ClassDef)]
    return defined[0] if defined else None


def with_solution(cells: list[dict], kata) -> list[dict]:
    """Each kata cell replaced by the solution's code of the same function; the head by the solution's head and
    whatever else the solution defines (its helpers)."""
    head, *functions = split((ROOT / "solutions" / kata.file).read_text(encoding="utf-8"))
    by_name = {defined_name(cell.source): cell.source for cell in functions}
    in_notebook = {defined_name(cell_source(cell)) for cell in cells if "kata" in tags(cell)}
    helpers = [source for name, source in by_name.items() if name not in in_notebook]
    replaced, first = [], True
    for cell in cells:
        if "kata" in tags(cell):
            name = defined_name(cell_source(cell))
            source = "\n\n\n".join([head.source, *helpers]) if first else by_name[name]
            cell = {**cell, "source": source}
            first = False
        replaced.append(cell)
    return replaced


@pytest.mark.parametrize("kata", KATAS, ids=[kata.name for kata in KATAS])
def test_an_untouched_notebook_runs_and_every_check_says_not_started(kata, monkeypatch):
    cells = execute(notebook(COURSE, kata)["cells"], monkeypatch)
    assert not errors(cells), errors(cells)
    checks = [cell for cell in cells if "check" in tags(cell)]
    assert len(checks) == len(kata.tasks)
    for cell in checks:
        text = shown(cell)
        assert "not solved" in text and "text/html" in json.dumps(cell["outputs"]), text
        for number in range(1, checked_tasks(cell) + 1):
            assert f"Task {number}  not started" in text, text
        assert f"Task {checked_tasks(cell) + 1} " not in text, f"a later task was checked too:\n{text}"


@pytest.mark.parametrize("kata", KATAS, ids=[kata.name for kata in KATAS])
def test_a_notebook_with_the_solution_runs_strict_without_an_error(kata, monkeypatch):
    cells = execute(with_solution(notebook(COURSE, kata)["cells"], kata), monkeypatch, KATAS_NOTEBOOK_STRICT="1")
    assert not errors(cells), errors(cells)  # nbclient stops at a cell's error: this names it
    for cell in (cell for cell in cells if "check" in tags(cell)):
        assert shown(cell).splitlines()[0].endswith(": solved"), shown(cell)


def code(source: str, *cell_tags: str) -> dict:
    return nbformat.v4.new_code_cell(source, metadata={"tags": list(cell_tags)})


PIPELINE = COURSE.kata_named("pipeline")
SETUP = next(cell_source(cell) for cell in notebook(COURSE, PIPELINE)["cells"] if "setup" in tags(cell))
SOLUTION = (ROOT / "solutions" / PIPELINE.file).read_text(encoding="utf-8")
WRONG_TASK = (ROOT / "mutants/pipeline/1_wrong_task_name.py").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def one_kernel(tmp_path_factory) -> list[dict]:
    """One kernel through checks that try to change it, hang, lack a function, raise under strict, cannot run;
    then `%load_ext katakit`."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        return execute(
            [
                code(SETUP),
                code(SOLUTION),
                code(
                    "import torch, transformers\n"
                    "from transformers import pipeline as real_pipeline\n"
                    "calls = []\n"
                    "def build_generator(model_dir):\n"
                    "    calls.append(model_dir)\n"
                    "    torch.use_deterministic_algorithms(True)\n"
                    "    torch.set_num_threads(1)\n"
                    "    transformers.pipeline = None\n"
                    "    return real_pipeline('text-generation', model=model_dir)\n"
                    "threads = torch.get_num_threads()\n"
                    "katakit.check('pipeline', tasks=1)"
                ),
                code(
                    "import json\nprint(json.dumps({'calls': calls, 'deterministic': "
                    "torch.are_deterministic_algorithms_enabled(), 'pipeline': transformers.pipeline is real_pipeline, "
                    "'threads': torch.get_num_threads() == threads}))"
                ),
                code(SOLUTION + "\nkatakit.check('pipeline', tasks=1)"),
                code("def continue_text(generator, prompt, max_new_tokens):\n    while True:\n        pass\n"),
                code("katakit.check('pipeline', tasks=2)"),
                code("print(1 + 1)"),
                code(SOLUTION + "\n" + WRONG_TASK + "\nkatakit.check('pipeline', tasks=1)"),
                code(SOLUTION + "\ndel complete_text\nkatakit.check('pipeline')"),
                code(
                    "import os\nos.environ['KATAS_NOTEBOOK_STRICT'] = '1'\nkatakit.check('pipeline')",
                    "raises-exception",
                ),
                code(
                    "del os.environ['KATAS_NOTEBOOK_STRICT']\nkatakit.check('nope')\nkatakit.check('pipeline', tasks=9)"
                ),
                code("del katakit"),
                code("%load_ext katakit\nkatakit.check('pipeline', tasks=1)"),
            ],
            monkeypatch,
        )


def test_a_check_leaves_the_kernel_as_it_was_and_the_next_verdict_unchanged(one_kernel):
    assert not errors(one_kernel[:10]), errors(one_kernel)
    assert "Task 1  solved" in shown(one_kernel[2]), shown(one_kernel[2])
    state = json.loads(one_kernel[3]["outputs"][0]["text"])
    assert state == {"calls": [], "deterministic": False, "pipeline": True, "threads": True}
    assert shown(one_kernel[4]).splitlines()[0].endswith(": solved"), shown(one_kernel[4])


def test_a_kata_that_hangs_fails_by_its_time_limit_and_the_kernel_goes_on(one_kernel):
    text = shown(one_kernel[6])
    assert "Task 2  failing" in text and "computed for longer than" in text, text
    assert one_kernel[7]["outputs"][0]["text"] == "2\n"


def test_a_wrong_function_shows_the_message_pytest_shows_for_the_same_code(one_kernel, tmp_path):
    folder = tmp_path / "katas"
    folder.mkdir()
    (folder / PIPELINE.file).write_text(SOLUTION + "\n" + WRONG_TASK, encoding="utf-8")
    report = tmp_path / "report.json"
    command = [sys.executable, "-m", "pytest", PIPELINE.test_file, f"--katas-dir={folder}", f"--katas-report={report}"]
    subprocess.run([*command, "-q", "-p", "no:cacheprovider", "-k", "build_generator"], cwd=ROOT, env=learner_env())
    messages = {r["message"] for r in json.loads(report.read_text())["results"] if r["outcome"] == "failed"}
    assert messages, "the wrong function should fail a test of task 1"
    page = shown(one_kernel[8], "text/html")
    for message in messages:
        assert html.escape(message) in page, f"{message!r} not in the notebook's check:\n{page}"


def test_strict_raises_after_showing_the_result_and_only_when_tasks_are_open(one_kernel):
    assert not errors(one_kernel[8:10]), "without KATAS_NOTEBOOK_STRICT a check never raises"
    outputs = one_kernel[10]["outputs"]
    kinds = [output["output_type"] for output in outputs]
    assert kinds[-1] == "error" and "display_data" in kinds[:-1], kinds
    assert outputs[-1]["ename"] == "TasksNotSolved" and "task 3 failing" in outputs[-1]["evalue"]


def test_a_function_the_notebook_lacks_is_named_with_what_to_run(one_kernel):
    text = shown(one_kernel[9])
    assert "Task 3  failing" in text and "the notebook has no function `complete_text`" in text, text


def test_a_check_that_cannot_run_says_why_and_raises_nothing(one_kernel):
    assert not errors(one_kernel[11:12]), errors(one_kernel[11:12])
    text = shown(one_kernel[11])
    assert "The check did not run: no kata 'nope'" in text, text
    assert "kata pipeline has tasks 1 to 3: `tasks=9` names none of them" in text, text


def test_load_ext_gives_the_notebook_katakit_to_check_with(one_kernel):
    assert not errors(one_kernel[12:]), errors(one_kernel[12:])
    assert "Task 1  solved" in shown(one_kernel[13]), shown(one_kernel[13])
