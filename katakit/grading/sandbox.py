"""Run the instructor's tests on one submission in separate, limited processes; survive what they do.

Each grader worker has a slot (`Slot`): a folder of its own and a warm runner (katakit.runner, the one the
learner's `katas watch` uses) whose parent has imported torch, transformers, pytest and the tests' plugins
once, with the slot's environment. Each grading process is a child forked from it: an isolated interpreter's
copy (`python -I -B`: no user site, no PYTHON* variables, the current folder off sys.path) running pytest with
the instructor's configuration and plugins only, in the slot's scratch folder (its home and temporary folder),
with limits on memory and file size, no network where Linux lets us take it away (katakit.runner.confine),
and `guard` inside it. Nothing a submission does reaches the parent or the next submission.

A crash (`os._exit`, a segfault, the memory limit), a stall or a kata file whose import takes longer than its
own limit ends the process: the test that was running (or every test of the kata being imported) is recorded
as crashed or timed out, and a new process runs the tests that are left.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from katakit.grading.guard import POLICY_ENV
from katakit.runner import RunnerFailed, open_runner
from katakit.runner import relay as run_limits
from katakit.runner.confine import Confinement, network_namespace_available
from katakit.runner.events import read_events
from katakit.zoo import SEED_VARIABLE

CRASHED, TIMED_OUT, NOT_RUN = "crashed", "timed out", "not run"
STRIKES_PER_TASK = 2  # crashes or hangs of one task's tests before its other tests are not run
PLUGINS = ("pytest_timeout", "_hypothesis_pytestplugin", "katakit.plugin", "katakit.fixtures", "katakit.grading.guard")
PYTHON_FLAGS = ("-I", "-B")


@dataclass(frozen=True)
class Limits:
    submission_seconds: float = 1200.0  # the whole submission, all restarts included
    stall_seconds: float = 240.0  # one test with no word from the process (pytest-timeout acts before)
    import_seconds: float = 5.0  # one kata file's import (its module-level code; a warm process imports in ms)
    memory_mb: int = 8192
    file_mb: int = 256
    output_mb: int = 16  # what pytest prints (kept in the slot while graded): past it, the process is stopped


@dataclass(frozen=True)
class GradingRun:
    course_root: Path
    zoo: Path
    seed: int
    profile: str
    limits: Limits = Limits()


@dataclass
class Outcome:
    tests: dict[str, dict] = field(default_factory=dict)  # nodeid -> result line
    processes: int = 0
    network: str = ""
    zoo_changed: bool = False  # the slot's copy of the models differed after grading

    @classmethod
    def joined(cls, parts: list[Outcome], katas: list) -> Outcome:
        """One submission's outcome from those of its parts (groups of katas graded side by side), its tests in
        the order of one whole run: course order, each kata's tests as collected."""
        order = {kata.name: number for number, kata in enumerate(katas)}
        tests = sorted((test for part in parts for test in part.tests.values()), key=lambda t: order[t["kata"]])
        return cls(
            tests={test["nodeid"]: test for test in tests},
            processes=sum(part.processes for part in parts),
            network=parts[0].network,
            zoo_changed=any(part.zoo_changed for part in parts),
        )


class GradingError(Exception):
    """The grader itself could not run (a broken course or environment), not the submission's fault."""


class Slot:
    """One grader worker's folder (the submission's katas, the scratch folder, a copy of the zoo) and warm
    runner. Open and use it in one thread: on Linux the runner's parent dies with the thread that started it,
    and its children with it, so that a grader killed by any signal leaves no grading process behind."""

    def __init__(self, run: GradingRun, folder: Path):
        self.run, self.folder = run, folder
        shutil.rmtree(folder, ignore_errors=True)
        (folder / "runner").mkdir(parents=True)
        (folder / "scratch").mkdir()  # the runner's folder too (hypothesis keeps its files in the one it starts in)
        self.zoo = folder / "zoo"
        shutil.copytree(run.zoo, self.zoo, ignore=shutil.ignore_patterns(".*"))
        self.zoo_fingerprint = fingerprint(self.zoo, ("",))
        self.network = network_namespace_available()
        self.runner = None

    def grade(self, write_katas: Callable[[Path], None], test_files: tuple[Path, ...]) -> Outcome:
        """Grade the kata files that `write_katas(folder)` writes with the tests of `test_files`."""
        shutil.rmtree(self.folder / "katas", ignore_errors=True)
        for leftover in [*self.folder.glob("stream-*.jsonl"), self.folder / OUTPUT]:
            leftover.unlink(missing_ok=True)
        write_katas(self.folder / "katas")
        outcome = _grade_in(self, test_files)
        if fingerprint(self.zoo, ("",)) != self.zoo_fingerprint:
            outcome.zoo_changed = True  # put back, with a runner that never saw the changed copy
            self.close()
            shutil.rmtree(self.zoo)
            shutil.copytree(self.run.zoo, self.zoo, ignore=shutil.ignore_patterns(".*"))
        return outcome

    def run_process(self, stream: Path, targets: list[str], deadline: float) -> str:
        """One grading process, to its end; how it ended ("exited with 1", "stopped after ...")."""
        scratch = self.folder / "scratch"
        _empty(scratch)
        (scratch / "tmp").mkdir()
        (self.folder / "policy.json").write_text(json.dumps(_policy(self.run, self.folder, stream)))
        stream.touch()
        limits = self.run.limits
        confinement = Confinement(cwd=str(scratch), file_mb=limits.file_mb, network=not self.network)
        args = [*_pytest_options(self.run, self.folder), *targets]
        for attempt in (1, 2):  # a runner that went away (not the submission's doing: its children die alone)
            runner = self._runner()
            with open(self.folder / OUTPUT, "ab") as log, _Watch(runner, stream, deadline, limits) as watch:
                try:
                    run = runner.run(
                        args,
                        log.write,
                        run_limits.Limits(limits.stall_seconds, limits.output_mb * 2**20, limits.memory_mb),
                        env={"TMPDIR": str(scratch / "tmp")},
                        confinement=confinement,
                    )
                except RunnerFailed as failure:
                    self.close()
                    if attempt == 2:
                        raise GradingError(str(failure)) from None
                    continue
            return _how_it_ended(run, watch.reason, limits)
        raise AssertionError("unreachable")

    def _runner(self):
        if self.runner is None or not self.runner.alive:
            self.close()
            environment = _environment(self.run, self.folder)
            self.runner = open_runner(self.folder / "scratch", environment, PYTHON_FLAGS)
            try:
                self.runner.warm_up_fully()  # batch work: each first run would pay the rest of it
            except RunnerFailed as failure:
                self.close()
                raise GradingError(str(failure)) from None
        return self.runner

    def close(self) -> None:
        if self.runner is not None:
            self.runner.close()
            self.runner = None


OUTPUT = "pytest-output.txt"
IMPORT_LIMIT, TIME_LIMIT = "import", "the submission's time limit"


class _Watch:
    """Beside a grading process: cancels it when the submission's time is up, or when a kata file's import has
    taken longer than `Limits.import_seconds` (the guard's stream says "import" and nothing since)."""

    def __init__(self, runner, stream: Path, deadline: float, limits: Limits):
        self.runner, self.stream, self.deadline, self.limits = runner, stream, deadline, limits
        self.reason: str | None = None
        self.importing_since: float | None = None
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="katas-grading-watch", daemon=True)

    def __enter__(self) -> _Watch:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._done.set()
        self._thread.join()

    def _watch(self) -> None:
        size = -1
        while not self._done.wait(0.1):
            now = time.monotonic()
            if (new_size := _size(self.stream)) != size:
                size = new_size
                events = read_events(self.stream)
                importing = bool(events) and events[-1]["event"] == "import"
                self.importing_since = (self.importing_since or now) if importing else None
            if now > self.deadline:
                self.reason = TIME_LIMIT
            elif self.importing_since is not None and now - self.importing_since > self.limits.import_seconds:
                self.reason = IMPORT_LIMIT
            if self.reason:
                self.runner.cancel()
                return


def _empty(folder: Path) -> None:
    """What a process left in `folder`, removed; the folder stays (the runner's parent works in it)."""
    for path in folder.iterdir():
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return -1


def _how_it_ended(run, reason: str | None, limits: Limits) -> str:
    if reason == IMPORT_LIMIT:
        return f"stopped after {limits.import_seconds:g} s (a kata file's import limit)"
    if reason == TIME_LIMIT:
        return f"stopped ({reason})"
    if run.stopped == run_limits.STALLED:
        return f"stopped after {limits.stall_seconds:g} s (no progress)"
    if run.stopped == run_limits.FLOODED:
        return f"was stopped: it printed more than {limits.output_mb} MB"
    if run.stopped:
        return f"was stopped ({run.stopped})"
    code = run.returncode
    return f"exited with {code}" if code >= 0 else f"was killed by signal {-code}"


def _grade_in(slot: Slot, test_files: tuple[Path, ...]) -> Outcome:
    """Grade the slot's `katas/`: processes one after another until every test has a result."""
    run = slot.run
    outcome = Outcome(network="namespace" if slot.network else "audit hook only")
    expected: dict[str, tuple[str, int]] | None = None  # nodeid -> (kata, task), from the first collection
    deadline = time.monotonic() + run.limits.submission_seconds
    targets = [str(path) for path in test_files]
    while True:
        outcome.processes += 1
        stream = slot.folder / f"stream-{outcome.processes}.jsonl"
        ended = slot.run_process(stream, targets, deadline)
        lines = read_events(stream)
        if expected is None:
            expected = next(
                ({t[0]: (t[1], t[2]) for t in line["tests"]} for line in lines if line["event"] == "collected"), None
            )
            if expected is None:
                output = (slot.folder / OUTPUT).read_text(errors="replace")[-2000:]
                raise GradingError(f"the grading process collected no test (it {ended}):\n{output}")
        finished = any(line["event"] == "finished" for line in lines)
        _record(outcome.tests, lines, ended, expected, finished)
        remaining = [nodeid for nodeid in expected if nodeid not in outcome.tests]
        if not remaining or finished:
            break
        if time.monotonic() >= deadline:
            for nodeid in remaining:
                outcome.tests[nodeid] = _result(
                    nodeid,
                    expected,
                    NOT_RUN,
                    f"not run: the submission used up its {run.limits.submission_seconds:g} s",
                )
            break
        targets = [str(run.course_root / nodeid) for nodeid in remaining]
    for nodeid in expected:  # deselected or skipped by pytest itself: say so rather than drop it
        outcome.tests.setdefault(nodeid, _result(nodeid, expected, NOT_RUN, "not run"))
    return outcome


def fingerprint(root: Path, parts: tuple[str, ...]) -> str:
    """A digest of every file under root/part for each part (a file or a folder), names included."""
    digest = hashlib.sha256()
    for part in parts:
        base = root / part
        for path in sorted([base] if base.is_file() else base.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(root)).encode() + path.read_bytes())
    return digest.hexdigest()


def _record(results: dict, lines: list[dict], ended: str, expected: dict, finished: bool) -> None:
    running, importing = None, None
    for line in lines:
        if line["event"] == "start":
            running = line["nodeid"]
        elif line["event"] == "import":
            importing = line["file"]
        elif line["event"] == "imported":
            importing = None
        elif line["event"] == "result":
            results[line["nodeid"]] = {
                key: line[key] for key in ("nodeid", "kata", "task", "outcome", "message", "duration")
            }
            running = None
    if running is None or finished:
        return
    status = TIMED_OUT if ended.startswith("stopped") else CRASHED
    if importing:  # every test of that kata would end the same way: don't run them one by one
        kata = expected[running][0]
        for nodeid, (other_kata, _) in expected.items():
            if other_kata == kata and nodeid not in results:
                results[nodeid] = _result(
                    nodeid, expected, status, f"{status}: the grading process {ended} while importing {importing}"
                )
    else:
        results[running] = _result(running, expected, status, f"{status}: the grading process {ended} during this test")
        _give_up_on_a_task_that_keeps_ending_its_process(results, expected, expected[running])


def _give_up_on_a_task_that_keeps_ending_its_process(results: dict, expected: dict, task: tuple[str, int]) -> None:
    """A task whose tests keep crashing or hanging would cost a restart each (a stall each: minutes per task):
    after STRIKES_PER_TASK of them, its tests not yet run are not run, and say why."""
    strikes = [r for r in results.values() if (r["kata"], r["task"]) == task and r["outcome"] in (CRASHED, TIMED_OUT)]
    if len(strikes) < STRIKES_PER_TASK:
        return
    for nodeid, other in expected.items():
        if other == task and nodeid not in results:
            results[nodeid] = _result(
                nodeid,
                expected,
                NOT_RUN,
                f"{NOT_RUN}: {len(strikes)} tests of this task "
                f"already ended the grading process ({strikes[-1]['message']})",
            )


def _result(nodeid: str, expected: dict, outcome: str, message: str) -> dict:
    kata, task = expected[nodeid]
    return {"nodeid": nodeid, "kata": kata, "task": task, "outcome": outcome, "message": message, "duration": 0.0}


def _pytest_options(run: GradingRun, work: Path) -> list[str]:
    """The instructor's configuration and plugins only: no conftest, no plugin autoloading."""
    plugins = [option for plugin in PLUGINS for option in ("-p", plugin)]
    return [
        "-c",
        str(run.course_root / "pyproject.toml"),
        "--rootdir",
        str(run.course_root),
        "--noconftest",
        *plugins,
        "-p",
        "no:cacheprovider",
        f"--katas-dir={work / 'katas'}",
        f"--hypothesis-seed={run.seed}",
        f"--hypothesis-profile={run.profile}",
        f"--basetemp={work / 'scratch' / 'pytest'}",
        "-q",
        "--no-header",
        "--color=no",
    ]


def _policy(run: GradingRun, work: Path, stream: Path) -> dict:
    import katakit

    readable = {sys.prefix, sys.base_prefix, sys.exec_prefix, str(Path(katakit.__file__).parent), str(work / "zoo")}
    readable.update(p for p in sys.path if p.endswith("-packages"))
    return {
        "katas": str(work / "katas"),
        "scratch": str(work / "scratch"),
        "readable": sorted(readable),
        "tests": str(run.course_root / "tests"),
        "sealed": [str(stream), str(work / "policy.json")],
        "stream": str(stream),
    }


def _environment(run: GradingRun, work: Path) -> dict[str, str]:
    """The whole environment of the slot's runner (nothing of the instructor's own), and so of every grading
    process forked from it: the paths are the slot's, the same for every submission it grades."""
    from katakit.profiles import PROFILE_ENV
    from katakit.runner import RUNNER_ENV

    scratch = work / "scratch"
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(scratch),
        "TMPDIR": str(work / "runner"),  # the runner's own; each process gets the scratch folder's (RUN_ENV)
        "HF_HOME": str(scratch / "hf"),
        "KATAS_CACHE_DIR": str(work / "zoo"),
        SEED_VARIABLE: str(run.seed),
        PROFILE_ENV: run.profile,
        POLICY_ENV: str(work / "policy.json"),
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "OMP_NUM_THREADS": "1",
        "LANG": "C.UTF-8",
        "PY_COLORS": "0",
        # Where the network namespace is not available, a proxy that refuses: no library call gets out.
        "HTTP_PROXY": "http://127.0.0.1:9",
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "NO_PROXY": "",
        **({RUNNER_ENV: os.environ[RUNNER_ENV]} if RUNNER_ENV in os.environ else {}),
    }
