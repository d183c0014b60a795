"""`katas notebooks OUT`: one Jupyter notebook per kata, generated from the manifest and the untouched stubs.

A kata notebook is, in order: the kata's title and docstring as Markdown, with how to use the notebook; a set-up
cell (tagged `setup`) that finds the course, or installs it on Colab; the stub's head (docstring and imports,
tagged `kata`); then per task its title, its function(s) (tagged `kata`, as `cells.split` cuts them) and a check
cell (tagged `check`) that runs the tests of the tasks so far against the notebook's functions. The kata cells
joined (`cells.kata_code`) are the stub byte for byte, so a notebook is graded as its kata file would be.

Notebooks are written, never edited by hand: the same course gives the same bytes, and a notebook that exists
is never overwritten, since it may hold a learner's work.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

from katakit.i18n import N_, translator
from katakit.manifest import Course, Kata
from katakit.notebooks.cells import CHECK_TAG, KATA_TAG, SETUP_TAG, split
from katakit.stub_prose import stub_in

HOW_TO = N_(
    "How to use this notebook:\n\n"
    "1. Run the set-up cell below first.\n"
    "2. Fill in each function where it says `# TODO:`.\n"
    "3. Run the check cell after each task: it runs the tests of the tasks so far against this notebook's functions "
    "and shows the next hint.\n"
)

# Plain Python, no `!` or `%` magics, so that it runs in any kernel. `{course_url}` is a Python string literal.
SETUP = """\
# Set-up: run this cell first. It finds the course (its tests and tools) that the check cells run.
import subprocess
import sys
from pathlib import Path

COURSE_URL = {course_url}  # the course's repository (https://github.com/OWNER/REPO), for Colab

# Jupyter started in the course folder or in its notebooks/: the first folder up that holds the manifest.
here = Path.cwd()
course_folder = next((p for p in (here, *here.parents) if (p / "katas" / "katas.toml").is_file()), None)
if course_folder is None and "google.colab" in sys.modules and COURSE_URL:
    course_folder = Path("/content/transformers-katas")
    if not course_folder.exists():
        subprocess.run(["git", "clone", "--depth", "1", COURSE_URL, str(course_folder)], check=True)
    # Colab ships torch: pip keeps it and adds what else the course needs (about a minute the first time).
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "-e", str(course_folder)], check=True)
if course_folder is None:
    raise RuntimeError(
        "No course found: start Jupyter in the course folder (or its notebooks/), "
        "or, on Colab, set COURSE_URL above to the course's repository and run this cell again."
    )
sys.path.insert(0, str(course_folder))  # a running kernel does not see a package installed after it started
import katakit  # noqa: E402
"""

TASK_LINE = re.compile(r"(\d+)\.\s+(\w+)\s+-\s+(.*)")  # "1. build_generator - a pipeline ..."


def notebook_name(kata: Kata) -> str:
    return Path(kata.file).stem + ".ipynb"


def write_notebooks(course: Course, out: Path, course_url: str | None = None, language: str = "en") -> list[Path]:
    """Write the notebook of each kata into `out` (created if missing), leaving any that exists as it is;
    return the paths written."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for kata in course.katas:
        path = out / notebook_name(kata)
        try:
            with path.open("xb") as file:  # "x": never overwrite, even a notebook created meanwhile
                file.write(notebook_text(course, kata, course_url, language).encode("utf-8"))
        except FileExistsError:
            continue
        written.append(path)
    return written


def notebook_text(course: Course, kata: Kata, course_url: str | None = None, language: str = "en") -> str:
    # Sorted keys, indent 1, a final newline: as Jupyter saves a notebook, so that saving it changes little.
    text = notebook(course, kata, course_url, language)
    return json.dumps(text, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def notebook(course: Course, kata: Kata, course_url: str | None = None, language: str = "en") -> dict:
    """The notebook of one kata, as nbformat 4.5 JSON; its prose in `language` (katakit.stub_prose)."""
    say = translator(language)
    stub = stub_in(course.root, kata, language)
    number = course.katas.index(kata) + 1
    head, *rest = split(stub)
    title = say(N_("Kata {number}: {title}")).format(number=number, title=say(kata.title))
    cells = [
        markdown("intro", f"# {title}\n\n{docstring_markdown(stub, kata.docs, say)}\n{say(HOW_TO)}"),
        code("setup", SETUP_TAG, SETUP.format(course_url=json.dumps(course_url or ""))),
        code("kata-1", KATA_TAG, head.source),
    ]
    task = None  # the task whose section is open: a cell of another task closes it with its check
    for index, cell in enumerate(rest, start=2):
        if cell.task is not None and cell.task != task:
            if task is not None:
                cells.append(check(kata, task))
            task = cell.task
            if kata.task(task) is None:
                raise ValueError(f"katas/{kata.file}: task {task} is not a task of kata {kata.name} in the manifest")
            heading = say(N_("Task {number}: {title}")).format(number=task, title=say(kata.task(task).title))
            cells.append(markdown(f"task-{task}", f"## {heading}"))
        cells.append(code(f"kata-{index}", KATA_TAG, cell.source))
    if task is not None:
        cells.append(check(kata, task))
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def docstring_markdown(stub: str, docs: tuple[str, ...], say=lambda message: message) -> str:
    """The stub's module docstring as Markdown, less its first line (the title says it): its paragraphs as
    they are, its `Tasks:` as a numbered list, its `Docs:` line as a list of links, the manifest's included
    (`say`: the labels in the stub's language)."""
    docs_label, tasks_label = say(N_("Docs:")), say(N_("Tasks:"))
    lines = (ast.get_docstring(ast.parse(stub)) or "").splitlines()[1:]
    links = [line.removeprefix(docs_label).strip() for line in lines if line.startswith(docs_label)]
    links += [link for link in docs if link not in links]
    link_list = [docs_label, "", *(f"- [{link}]({link})" for link in links)] if links else []
    kept, in_tasks = [], False
    for line in lines:
        in_tasks = line.strip() == tasks_label or (in_tasks and bool(line.strip()))
        if line.startswith(docs_label):
            kept += link_list
            link_list = []  # the links go where the docstring has its Docs: line, else at the end
        elif line.strip() == tasks_label:
            kept += [tasks_label, ""]
        elif in_tasks:
            found = TASK_LINE.fullmatch(line.strip())
            kept.append(f"{found[1]}. `{found[2]}`: {found[3]}" if found else f"   {line.strip()}")
        else:
            kept.append(line)
    return "\n".join([*kept, "", *link_list]).strip("\n") + "\n"


def source_lines(source: str) -> list[str]:
    return source.splitlines(keepends=True)  # a list of lines, as Jupyter saves a cell's source


def markdown(cell_id: str, source: str) -> dict:
    return {"cell_type": "markdown", "id": cell_id, "metadata": {}, "source": source_lines(source.rstrip("\n"))}


def code(cell_id: str, tag: str, source: str) -> dict:
    return {
        "cell_type": "code",
        "execution_count": None,
        "id": cell_id,
        "metadata": {"tags": [tag]},
        "outputs": [],
        "source": source_lines(source.rstrip("\n")),
    }


def check(kata: Kata, task: int) -> dict:
    return code(f"check-{task}", CHECK_TAG, f"katakit.check({json.dumps(kata.name)}, tasks={task})")
