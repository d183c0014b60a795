"""The GitHub Classroom autograding workflow of the student copy, generated from the manifest.

One `classroom-resources/autograding-command-grader@v1` step per manifest task, worth the task's points, whose
command `katas grade . --out .katas/classroom --task KATA:N` exits 0 only when that task earned all its points.
The first step installs the course and pays for the whole grading run; `katas grade` finds that run in
`.katas/classroom` and the later steps only read it. `autograding-grading-reporter@v1` then sends every step's
result to GitHub Classroom: it reads step `id`'s result from the environment variable `<ID IN CAPITALS>_RESULTS`.

The command grader runs `setup-command` and `command` in a shell, with PATH and HOME only from the job's
environment, each under `timeout` minutes. The workflow is written as YAML text by a small emitter, so that the
course needs no YAML library.
"""

from __future__ import annotations

import json
import re

from katakit.manifest import Course, Kata, Task

WORKFLOW_PATH = ".github/workflows/classroom.yml"
GRADER = "classroom-resources/autograding-command-grader@v1"
REPORTER = "classroom-resources/autograding-grading-reporter@v1"
# Releases that run on node24: GitHub's runners no longer run the node20 of their predecessors.
CHECKOUT, SETUP_PYTHON = "actions/checkout@v5", "actions/setup-python@v6"
# A CPU build first: with no torch installed, the project's bare `torch` requirement would pull a CUDA build.
SETUP_COMMAND = (
    "python -m pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu && python -m pip install -e ."
)
GRADE_OUT = ".katas/classroom"
# The first step grades the whole course with the thorough hypothesis profile; the others read its results.
FIRST_STEP_TIMEOUT_MIN = 30
STEP_TIMEOUT_MIN = 5
# Should the first step fail to grade, every later step would try again: this bounds the whole job.
JOB_TIMEOUT_MIN = 60
PYTHON_VERSION = "3.12"


def grade_command(kata: Kata, task: Task) -> str:
    return f"katas grade . --out {GRADE_OUT} --task {kata.name}:{task.number}"


def step_id(kata: Kata, task: Task) -> str:
    """Letters and digits only: the reporter takes its `runners` as ids matching ^([a-zA-Z0-9]+,)*[a-zA-Z0-9]+$."""
    return f"{re.sub(r'[^A-Za-z0-9]', '', kata.name)}task{task.number}"


def grader_steps(course: Course) -> list[dict]:
    steps = []
    for kata in course.katas:
        for task in kata.tasks:
            name = f"{kata.name} {task.number}: {task.title}"
            settings = {"test-name": name}
            if not steps:
                settings["setup-command"] = SETUP_COMMAND
            settings |= {
                "command": grade_command(kata, task),
                "timeout": FIRST_STEP_TIMEOUT_MIN if not steps else STEP_TIMEOUT_MIN,
                "max-score": task.points,
            }
            steps.append({"name": name, "id": step_id(kata, task), "uses": GRADER, "with": settings})
    ids = [step["id"] for step in steps]
    if len(set(ids)) != len(ids):
        raise ValueError(f"two tasks share a workflow step id: {sorted({i for i in ids if ids.count(i) > 1})}")
    return steps


def workflow(course: Course) -> dict:
    graders = grader_steps(course)
    reporter = {
        "name": "Autograding Reporter",
        "uses": REPORTER,
        "env": {f"{step['id'].upper()}_RESULTS": f"${{{{steps.{step['id']}.outputs.result}}}}" for step in graders},
        "with": {"runners": ",".join(step["id"] for step in graders)},
    }
    setup = [
        {"name": "Checkout code", "uses": CHECKOUT},
        {
            "name": "Set up Python",
            "uses": SETUP_PYTHON,
            "with": {"python-version": PYTHON_VERSION, "cache": "pip", "cache-dependency-path": "pyproject.toml"},
        },
    ]
    return {
        "name": "Autograding Tests",
        # A mapping of events with no settings: older actionlint releases reject repository_dispatch in a list.
        "on": {"push": {}, "workflow_dispatch": {}, "repository_dispatch": {}},
        "permissions": {"checks": "write", "actions": "read", "contents": "read"},
        "jobs": {
            "run-autograding-tests": {
                "runs-on": "ubuntu-latest",
                # GitHub Classroom's own commits to the repository are not submissions.
                "if": "github.actor != 'github-classroom[bot]'",
                "timeout-minutes": JOB_TIMEOUT_MIN,
                "steps": setup + graders + [reporter],
            }
        },
    }


def workflow_text(course: Course) -> str:
    header = (
        "# GitHub Classroom autograding: one step per task of katas/katas.toml, worth its points.\n"
        "# Generated from that manifest by `katas release`; change the manifest, not this file.\n"
    )
    return header + "".join(yaml_lines(workflow(course)))


# Strings written unquoted: a letter first, no space, colon or `#`, so that YAML reads them as the same string.
PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9._/@-]*")
# Words that YAML 1.1 readers take for booleans or null (`on:` would become True): always quoted.
SPECIAL_WORDS = {"on", "off", "yes", "no", "y", "n", "true", "false", "null"}


def yaml_string(text: str) -> str:
    if PLAIN.fullmatch(text) and text.lower() not in SPECIAL_WORDS:
        return text
    # A JSON string is a valid YAML double-quoted scalar.
    return json.dumps(text, ensure_ascii=False)


def yaml_scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if not isinstance(value, int | str):
        raise TypeError(f"the workflow emitter writes strings, integers and booleans only, not {value!r}")
    return str(value) if isinstance(value, int) else yaml_string(value)


def literal_block(text: str) -> bool:
    """Whether a mapping's string value is written as a `|` block, line by line (a shell script): YAML reads one
    back as the same text when it ends with exactly one newline and its first line is not indented."""
    return (
        "\n" in text.rstrip("\n")
        and text.endswith("\n")
        and not text.endswith("\n\n")
        and not text[0].isspace()
        and "\r" not in text
        and all(line.strip() or not line for line in text.splitlines())
    )


def yaml_lines(value, indent: str = ""):
    """Block-style YAML for nested dicts and lists of strings, integers and booleans; a mapping's multi-line
    string value as a `|` block."""
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict | list):
                yield f"{indent}{yaml_string(key)}:\n"
                yield from yaml_lines(item, indent + "  ")
            elif isinstance(item, str) and literal_block(item):
                yield f"{indent}{yaml_string(key)}: |\n"
                yield from (f"{indent}  {line}\n" if line else "\n" for line in item.splitlines())
            else:
                yield f"{indent}{yaml_string(key)}: {yaml_scalar(item)}\n"
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict | list):
                # The item's first line goes after the dash, the rest lines up under it.
                lines = list(yaml_lines(item, indent + "  "))
                yield f"{indent}- {lines[0][len(indent) + 2 :]}"
                yield from lines[1:]
            else:
                yield f"{indent}- {yaml_scalar(item)}\n"
    else:
        yield f"{indent}{yaml_scalar(value)}\n"
