"""The learner's pytest runs, started by the `katas` command: the whole course for its progress, one kata's tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from katakit.manifest import Course
from katakit.outcomes import LAST_RUN, SOLVED, KataProgress, TestResult, progress
from katakit.profiles import PROFILE_ENV


class RunFailed(Exception):
    """pytest could not run the course (a usage error, a broken conftest): its output says why."""


def pytest_command(katas_dir: Path | None, *args: str) -> list[str]:
    # One token: a separate PATH outside the course would be taken for a test path by pytest.
    target = [f"--katas-dir={katas_dir}"] if katas_dir else []
    return [sys.executable, "-m", "pytest", *target, *args]


def _environment() -> dict[str, str]:
    # The quick hypothesis profile unless the learner picked one: this loop runs every minute.
    return {PROFILE_ENV: "dev", **os.environ}


def course_progress(course: Course, katas_dir: Path | None = None) -> list[KataProgress]:
    """Run every kata's tests quietly, and return each kata's progress."""
    with tempfile.TemporaryDirectory(prefix="katas-") as scratch:
        report = Path(scratch) / "report.json"
        command = pytest_command(katas_dir, "-q", "--no-header", "--katas-report", str(report))
        finished = subprocess.run(command, cwd=course.root, env=_environment(), capture_output=True, text=True)
        if finished.returncode not in (0, 1) or not report.exists():
            tail = "\n".join((finished.stdout + finished.stderr).strip().splitlines()[-15:])
            raise RunFailed(f"pytest ended with exit code {finished.returncode}:\n{tail}")
        results = [TestResult(**result) for result in json.loads(report.read_text())["results"]]
    return progress(course, results)


def last_run_progress(course: Course) -> list[KataProgress] | None:
    """The progress of the learner's last pytest run, if it covered every kata and no kata changed since."""
    path = course.root / LAST_RUN
    katas = [course.root / "katas" / kata.file for kata in course.katas]
    try:
        written = path.stat().st_mtime
        if any(kata.stat().st_mtime >= written for kata in katas):
            return None
        results = [TestResult(**result) for result in json.loads(path.read_text())["results"]]
    except (OSError, ValueError, TypeError, KeyError):
        return None
    found = progress(course, results)
    return found if len(found) == len(course.katas) else None


def first_unsolved(katas: list[KataProgress]) -> KataProgress | None:
    return next((entry for entry in katas if entry.status != SOLVED), None)


def run_kata_tests(course: Course, test_file: str, katas_dir: Path | None = None) -> int:
    """Run one kata's tests with their output on the learner's screen; return pytest's exit code."""
    return subprocess.run(pytest_command(katas_dir, test_file), cwd=course.root, env=_environment()).returncode
