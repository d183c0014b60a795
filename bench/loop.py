"""The learner's loop, timed as the learner lives it: `katas watch` and `katas next` in a copy of the course.

- watch start: `katas watch pipeline` started, until the first verdict (kata 1's tests run on the warm
  runner, "is solved!") is on screen;
- watch save, per kata: the kata file saved (its solution, with one more comment line) under a running
  `katas watch`, until that kata's verdict is on screen;
- katas next: `katas next` after a full `pytest` run, when the first kata not solved is untouched (8),
  and when it fails one task (8, with a wrong solution of task 2 from mutants/).

Each function takes `floor`, which times the import floor once; it is called beside each group of
timings (while the watch waits), so that every row is a ratio to a floor timed at the same moment: this
machine's speed drifts by a factor of two within minutes. Used by bench.py.
"""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from katakit.manifest import load_course  # noqa: E402

COURSE_PARTS = ("katas", "tests", "katakit", "conftest.py", "pyproject.toml")
ENV = {**os.environ, "KATAS_HYPOTHESIS_PROFILE": "dev", "PY_COLORS": "0"}


def course_copy(folder: Path, solved: int, wrong_next: bool = False) -> Path:
    """The course in `folder`, its first `solved` katas solved; the one after them untouched or wrong."""
    for part in COURSE_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, folder / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, folder / part)
    katas = load_course(ROOT).katas
    for kata in katas[:solved]:
        shutil.copy(ROOT / "solutions" / kata.file, folder / "katas" / kata.file)
    if wrong_next:
        upcoming = katas[solved]
        mutant = sorted((ROOT / "mutants" / upcoming.name).glob("2_*.py"))[0]
        (folder / "katas" / upcoming.file).write_text(
            (ROOT / "solutions" / upcoming.file).read_text() + "\n\n" + mutant.read_text()
        )
    # A full run, as the learner's `pytest`: every kata's result is remembered.
    subprocess.run([sys.executable, "-m", "pytest", "-q"], cwd=folder, env=ENV, capture_output=True, check=False)
    return folder


class Watch:
    """`katas watch ARGS` in a course copy; each output line with the moment it arrived."""

    def __init__(self, root: Path, *args: str):
        self.started = time.perf_counter()
        # A bench started in the background (`bench.py &`) ignores SIGINT, and so would the watch it starts,
        # which `stop` ends with SIGINT, as a learner's Ctrl-C does: the watch gets the default back.
        self.process = subprocess.Popen(
            [sys.executable, "-m", "katakit.cli", "watch", *args],
            cwd=root,
            env=ENV,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        self.lines: queue.Queue[tuple[float, str]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put((time.perf_counter(), line))

    def wait_for(self, text: str, timeout: float = 300) -> float:
        """The moment the first line holding `text` arrived."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            try:
                moment, line = self.lines.get(timeout=1)
            except queue.Empty:
                continue
            if text in line:
                return moment
        raise SystemExit(f"bench: `katas watch` printed no {text!r} within {timeout} s")

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGINT)
        self.process.wait(timeout=30)


@contextmanager
def scratch_course(solved: int, wrong_next: bool = False):
    with tempfile.TemporaryDirectory(prefix="katas-loop-bench-") as folder:
        yield course_copy(Path(folder), solved, wrong_next)


Timings = tuple[list[float], list[float]]  # the seconds of a row, and of the floors timed beside it


def watch_start(repeat: int, floor) -> Timings:
    times, floors = [], []
    with scratch_course(solved=len(load_course(ROOT).katas)) as root:
        for _ in range(repeat):
            floors.append(floor())
            watch = Watch(root, "pipeline")
            times.append(watch.wait_for("is solved!") - watch.started)
            watch.stop()
    return times, floors


def watch_saves(repeat: int, floor) -> dict[str, Timings]:
    """Per kata (by name), the seconds from each save to its verdict, on one running watch."""
    course = load_course(ROOT)
    rows: dict[str, Timings] = {}
    with scratch_course(solved=len(course.katas)) as root:
        watch = Watch(root, "pipeline")
        watch.wait_for("Still watching")
        for number, kata in enumerate(course.katas, start=1):
            path = root / "katas" / kata.file
            solution = path.read_text()
            times, floors = rows.setdefault(kata.name, ([], [floor()]))
            for save in range(repeat):
                time.sleep(0.5)  # a learner does not save twice within a run
                path.write_text(solution + f"\n# save {save}\n")
                saved = time.perf_counter()
                times.append(watch.wait_for(f"kata {number} {kata.name} is solved!") - saved)
                watch.wait_for("Still watching")
        watch.stop()
    return rows


def katas_next(repeat: int, wrong_next: bool, floor) -> Timings:
    times, floors = [], []
    with scratch_course(solved=7, wrong_next=wrong_next) as root:
        for _ in range(repeat):
            floors.append(floor())
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "katakit.cli", "next"], cwd=root, env=ENV, capture_output=True)
            times.append(time.perf_counter() - started)
    return times, floors
