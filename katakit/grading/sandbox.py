"""Run the instructor's tests on one submission in a separate, limited process; survive what it does.

The process is an isolated interpreter (`python -I`: no user site, no PYTHON* variables, the current
folder off sys.path) running pytest with the instructor's configuration and plugins only: no conftest,
no plugin autoloading. Its environment, home and temporary folder are a scratch folder; it has limits on
memory and file size, no network where Linux lets us take it away, and `guard` inside it.

A crash (`os._exit`, a segfault, the memory limit) or a stall ends the process: the test that was running
is recorded as crashed or timed out, and a new process runs the tests that are left.
"""

from __future__ import annotations

import functools
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from katakit.grading.guard import POLICY_ENV
from katakit.runner.events import read_events
from katakit.zoo import SEED_VARIABLE

CRASHED, TIMED_OUT, NOT_RUN = "crashed", "timed out", "not run"
STRIKES_PER_TASK = 2  # crashes or hangs of one task's tests before its other tests are not run
PLUGINS = ("pytest_timeout", "_hypothesis_pytestplugin", "katakit.plugin", "katakit.fixtures", "katakit.grading.guard")


@dataclass(frozen=True)
class Limits:
    submission_seconds: float = 1200.0  # the whole submission, all restarts included
    stall_seconds: float = 240.0  # one test with no word from the process (pytest-timeout acts before)
    memory_mb: int = 8192
    file_mb: int = 256


@dataclass(frozen=True)
class GradingRun:
    course_root: Path
    test_files: tuple[Path, ...]
    zoo: Path
    seed: int
    profile: str
    limits: Limits = Limits()


@dataclass
class Outcome:
    tests: dict[str, dict] = field(default_factory=dict)  # nodeid -> result line
    processes: int = 0
    network: str = ""


def grade_folder(run: GradingRun, work: Path) -> Outcome:
    """Grade `work/katas` (already a copy of the submission's kata files); `work` is its own to use."""
    outcome = Outcome(network="namespace" if network_namespace_available() else "audit hook only")
    expected: dict[str, tuple[str, int]] | None = None  # nodeid -> (kata, task), from the first collection
    deadline = time.monotonic() + run.limits.submission_seconds
    targets = [str(path) for path in run.test_files]
    while True:
        outcome.processes += 1
        stream = work / f"stream-{outcome.processes}.jsonl"
        ended = _run_process(run, work, stream, targets, deadline)
        lines = read_events(stream)
        if expected is None:
            expected = next(
                ({t[0]: (t[1], t[2]) for t in line["tests"]} for line in lines if line["event"] == "collected"), None
            )
            if expected is None:
                raise GradingError(f"the grading process collected no test (it {ended}); see {stream}")
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


class GradingError(Exception):
    """The grader itself could not run (a broken course or environment), not the submission's fault."""


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


def _run_process(run: GradingRun, work: Path, stream: Path, targets: list[str], deadline: float) -> str:
    """Run one grading process to its end; say how it ended ("exited with 1", "stopped after ...")."""
    scratch = work / "scratch"
    shutil.rmtree(scratch, ignore_errors=True)
    (scratch / "tmp").mkdir(parents=True)
    policy = work / "policy.json"
    policy.write_text(json.dumps(_policy(run, work, stream)))
    stream.touch()
    command = [*_network_prefix(), sys.executable, "-I", "-B", "-m", "pytest", *_pytest_options(run, work), *targets]
    log = open(work / "pytest-output.txt", "a")  # noqa: SIM115 (closed below, after the process)
    try:
        process = subprocess.Popen(
            command,
            cwd=scratch,
            env=_environment(run, scratch, policy),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=functools.partial(_apply_limits, run.limits),
        )
        return _wait(process, stream, run.limits, deadline)
    finally:
        log.close()


def _wait(process: subprocess.Popen, stream: Path, limits: Limits, deadline: float) -> str:
    last_size, last_change = -1, time.monotonic()
    while True:
        try:
            code = process.wait(timeout=0.5)
            return f"exited with {code}" if code >= 0 else f"was killed by signal {-code}"
        except subprocess.TimeoutExpired:
            pass
        now = time.monotonic()
        size = stream.stat().st_size
        if size != last_size:
            last_size, last_change = size, now
        if now - last_change > limits.stall_seconds or now > deadline:
            why = "no progress" if now <= deadline else "the submission's time limit"
            _kill_group(process)
            return f"stopped after {now - last_change:.0f} s ({why})"


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def _pytest_options(run: GradingRun, work: Path) -> list[str]:
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

    readable = {sys.prefix, sys.base_prefix, sys.exec_prefix, str(Path(katakit.__file__).parent), str(run.zoo)}
    readable.update(p for p in sys.path if p.endswith("-packages"))
    return {
        "katas": str(work / "katas"),
        "scratch": str(work / "scratch"),
        "readable": sorted(readable),
        "tests": str(run.course_root / "tests"),
        "sealed": [str(stream), str(work / "policy.json")],
        "stream": str(stream),
    }


def _environment(run: GradingRun, scratch: Path, policy: Path) -> dict[str, str]:
    from katakit.profiles import PROFILE_ENV

    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(scratch),
        "TMPDIR": str(scratch / "tmp"),
        "HF_HOME": str(scratch / "hf"),
        "KATAS_CACHE_DIR": str(run.zoo),
        SEED_VARIABLE: str(run.seed),
        PROFILE_ENV: run.profile,
        POLICY_ENV: str(policy),
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
    }


def _apply_limits(limits: Limits) -> None:
    """In the child, before exec: memory and file size limits, no core files, and a file too big fails
    its write (EFBIG) instead of killing the process."""
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_mb * 2**20,) * 2)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_mb * 2**20,) * 2)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


@functools.cache
def network_namespace_available() -> bool:
    """Whether `unshare` can give the process a network of its own (no interface but loopback)."""
    if shutil.which("unshare") is None:
        return False
    try:
        return subprocess.run([*_UNSHARE, "true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


_UNSHARE = ("unshare", "--user", "--map-root-user", "--net")


def _network_prefix() -> tuple[str, ...]:
    return _UNSHARE if network_namespace_available() else ()
