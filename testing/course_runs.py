"""What the suite's own tests share: copies of the course, and the environment of a learner's pytest run."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COURSE_PARTS = ("katas", "solutions", "mutants", "alternatives", "tests", "conftest.py", "pyproject.toml", "setup.py")


def copy_course(destination: Path, with_tools: bool = False) -> Path:
    """The course's files in `destination`; `with_tools` copies katakit too, so the copy runs its own tools."""
    for part in COURSE_PARTS + (("katakit",) if with_tools else ()):
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, destination / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, destination / part)
    return destination


def learner_env(**overrides: str) -> dict[str, str]:
    """This environment less anything that would change pytest's options, without colours."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")}
    env["PY_COLORS"] = "0"
    env.update(overrides)
    return env
