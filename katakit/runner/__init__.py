"""Run a kata's tests in a process of their own, fast and safely: one interface for every tool.

    runner = open_runner(course_root)          # WarmRunner where fork is safe, else SubprocessRunner
    run = runner.run(["tests/test_05_logits.py"], sink=sys.stdout.buffer.write)
    run.results, run.complete_katas, run.problem()
    runner.close()

`WarmRunner` keeps a warm parent (katakit.runner.parent) that has imported torch, transformers, pytest,
hypothesis and the course's plugin, resolved the zoo and run the library once (katakit.runner.warmup);
each run is a forked child of it, so a run costs its tests, not the import floor, and nothing a run does
reaches the next. `SubprocessRunner` starts a fresh `python -m pytest` per run. Both copy the run's output to
the sink within `Limits` (katakit.runner.relay: too much output, no progress past the time limit, a cancel
stop the run's whole process group) and read its event stream (katakit.runner.events), so that a run that
crashed, exited, hung or flooded its output is told apart from one whose tests failed.

Either runs a learner's tests split over one process per core when its arguments ask for it
(`--katas-workers=N`, katakit.runner.split): a warm runner's child forks its workers before its gate.

`KATAS_RUNNER=subprocess` (or `fork`) overrides the choice.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from katakit.runner.client import Run, RunnerFailed, SubprocessRunner, WarmRunner
from katakit.runner.relay import Limits

RUNNER_ENV = "KATAS_RUNNER"
__all__ = ["Limits", "Run", "RunnerFailed", "SubprocessRunner", "WarmRunner", "fork_is_safe", "open_runner"]


def fork_is_safe() -> bool:
    """Linux only: macOS' system libraries are not fork-safe once loaded (Python spawns there by default),
    and Windows has no fork."""
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def open_runner(root: Path, env: dict[str, str] | None = None, python_flags: tuple[str, ...] = ()):
    """`python_flags`: the interpreter's own options for the runs (a grading run's `-I -B`)."""
    choice = (env if env is not None else os.environ).get(RUNNER_ENV, "")
    if choice == "fork" or (choice != "subprocess" and fork_is_safe()):
        return WarmRunner(root, env, python_flags)
    return SubprocessRunner(root, env, python_flags)
