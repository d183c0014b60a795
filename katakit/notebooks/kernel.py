"""`katakit.check("pipeline", tasks=2)` in a notebook: the tests of tasks 1 and 2 against the functions the
notebook defines, shown as the terminal shows them (katakit.notebooks.shown).

The kernel is the warm parent of katakit.runner: the first check imports torch, transformers, pytest and the
course's plugin into it and warms the library up (katakit.runner.warmup), then puts back what a learner's own
cells see (environment, hub access, log levels, torch's threads). Each check is a forked copy of the kernel
(katakit.runner.child), holding the notebook's functions as they are now: whatever a kata does there (models
changed, torch's settings, a loop that never ends) dies with the copy, within the runner's limits, and the
kernel is left as it was. The check runs where fork is safe (Linux: Colab, most Jupyter servers, WSL).
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import sys
from dataclasses import asdict
from pathlib import Path

from katakit.manifest import MANIFEST_PATH, Kata, ManifestError, load_course
from katakit.runner.relay import Limits

STRICT_VARIABLE = "KATAS_NOTEBOOK_STRICT"
WORKERS = 4  # as the learner's loop: one per core, at most
DEFAULT_LIMITS = Limits()
_RUNNERS: dict[Path, KernelRunner] = {}


class TasksNotSolved(AssertionError):
    """With KATAS_NOTEBOOK_STRICT=1: a check whose tasks are not all solved (for automation)."""


class CheckRefused(Exception):
    """The check cannot run here: the message says why and what to do."""


def check(kata_name, tasks: int | None = None, namespace: dict | None = None):
    """Run the tests of `kata_name`'s tasks 1 to `tasks` (all by default) against the functions of
    `namespace` (the calling notebook's), show the result, and return it. Raises only with
    KATAS_NOTEBOOK_STRICT=1, after showing why: a check that could not run or tasks not solved."""
    from katakit.notebooks.shown import CheckResult, Refusal, show

    strict = os.environ.get(STRICT_VARIABLE) == "1"
    try:
        root, kata, upto = _what_to_check(kata_name, tasks)
        runner = kernel_runner(root)
    except CheckRefused as refused:
        show(Refusal(str(refused)))
        if strict:
            raise
        return None
    output = bytearray()
    run = runner.run(kata, upto, namespace if namespace is not None else {}, output.extend)
    result = CheckResult.of(kata, upto, run, output.decode("utf-8", errors="replace"))
    show(result)
    if strict and not result.solved:
        raise TasksNotSolved(result.headline())
    return result


def _what_to_check(kata_name, tasks) -> tuple[Path, Kata, int]:
    root = course_root()
    try:
        course = load_course(root)
    except ManifestError as error:
        raise CheckRefused(str(error)) from None
    kata = course.find(str(kata_name))
    if kata is None:
        raise CheckRefused(f"no kata {kata_name!r}: name one by its name or number: {course.choices()}")
    upto = len(kata.tasks) if tasks is None else tasks
    if not isinstance(upto, int) or isinstance(upto, bool) or not 1 <= upto <= len(kata.tasks):
        raise CheckRefused(f"kata {kata.name} has tasks 1 to {len(kata.tasks)}: `tasks={tasks!r}` names none of them")
    return root, kata, upto


def course_root() -> Path:
    """The course this katakit belongs to, else the first folder holding the manifest from here up."""
    here = Path(__file__).resolve().parents[2]
    for folder in (here, Path.cwd(), *Path.cwd().parents):
        if (folder / MANIFEST_PATH).is_file():
            return folder
    raise CheckRefused(f"no course here: start Jupyter in the course folder (the one with {MANIFEST_PATH})")


def kernel_runner(root: Path) -> KernelRunner:
    from katakit.runner import fork_is_safe

    if not fork_is_safe():
        raise CheckRefused(
            "a check runs in a forked copy of the kernel, which needs Linux (Colab, a Linux Jupyter, WSL); "
            "here, run `pytest` on the kata's file instead"
        )
    if root not in _RUNNERS:
        _RUNNERS[root] = KernelRunner(root)
    return _RUNNERS[root]


class KernelRunner:
    """This kernel as a warm parent (katakit.runner.parent does the same for the `katas` command)."""

    def __init__(self, root: Path):
        self.root = root
        self.warm = _warm_up(root)

    def inherited_fds(self) -> list[int]:
        return []  # the kernel's own sockets stay open in the child, unused: it ends with os._exit

    def run(self, kata: Kata, tasks: int, namespace: dict, sink, limits: Limits = DEFAULT_LIMITS):
        from katakit.notebooks.target import NotebookCheck
        from katakit.runner.child import Child
        from katakit.runner.client import Run

        args = [kata.test_file, f"--katas-workers={WORKERS}", "-p", "no:cacheprovider", "--color=no"]
        request = {"args": args, "env": {}, "limits": asdict(limits)}
        gc.freeze()  # the copy's garbage collections skip the kernel's objects; the kernel's own do not
        try:
            child = Child.fork(request, self, lambda: _as_a_test_run(self.root), [NotebookCheck(namespace, tasks)])
        finally:
            gc.unfreeze()
        try:
            child.go()
            ended = child.run_to_end(sink)
        except BaseException:  # an interrupt of the kernel: the copy goes, the kernel stays
            child.discard()
            raise
        child.close()
        return Run(limits=limits, **ended)


def _warm_up(root: Path):
    """katakit.runner.warmup in the kernel, both parts at once, then the kernel as the learner had it."""
    from katakit import quiet
    from katakit.runner.warmup import warm_up, warm_up_the_rest

    saved, cwd = dict(os.environ), os.getcwd()
    os.chdir(root)
    try:
        # The library's progress bars (widgets, in Jupyter) and notices while it warms up are not the notebook's.
        quiet.silence_environment()
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
            try:
                warm = warm_up()
            except SystemExit as stop:  # what the environment lacks, in one line
                raise CheckRefused(str(stop.code)) from None
            for step in warm_up_the_rest(warm):
                warm = step or warm
    finally:
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(saved)
        gc.unfreeze()
    _as_the_learner_had_it(saved)
    return warm


def _as_the_learner_had_it(saved: dict[str, str]) -> None:
    """The warm-up made the libraries quiet and offline and torch single-threaded, as a test run wants them;
    the learner's own cells get them back as they would be without the course."""
    import huggingface_hub.constants
    import torch
    from transformers.utils import logging as hf_logging

    offline = saved.get("HF_HUB_OFFLINE", "").upper() in {"1", "ON", "YES", "TRUE"}
    huggingface_hub.constants.HF_HUB_OFFLINE = offline
    if "TRANSFORMERS_VERBOSITY" not in saved:
        hf_logging.set_verbosity_warning()
    if "HF_HUB_DISABLE_PROGRESS_BARS" not in saved:
        hf_logging.enable_progress_bar()
    if "OMP_NUM_THREADS" not in saved:
        torch.set_num_threads(os.cpu_count() or 1)


def _as_a_test_run(root: Path) -> None:
    """In the check's copy, before pytest: the course folder, and the libraries as a test run has them."""
    import huggingface_hub.constants
    import torch

    from katakit import quiet

    os.chdir(root)
    quiet.silence_environment()
    huggingface_hub.constants.HF_HUB_OFFLINE = True
    torch.set_num_threads(1)
    sys.path.insert(0, str(root))
