"""The warm runner (katakit.runner): verdicts equal to plain pytest's, and a run that misbehaves ends only
its own child, says how in one line, and leaves the parent as it was for the next run."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from course_runs import ROOT, learner_env

from katakit.manifest import load_course
from katakit.mutants import find_mutants
from katakit.runner import Limits, SubprocessRunner, WarmRunner
from katakit.runner.relay import CANCELLED, FLOODED, STALLED

pytestmark = pytest.mark.timeout(600)
COURSE = load_course(ROOT)
PIPELINE = COURSE.kata_named("pipeline")
FIRST_TEST = f"{PIPELINE.test_file}::test_build_generator_returns_a_text_generation_pipeline[gpt2]"
# Katas whose tests are quick: a pipeline, a task head, the tokenizers.
COMPARED = [PIPELINE, COURSE.kata_named("sequence_classification"), COURSE.kata_named("tokenizers")]


@pytest.fixture(scope="module")
def warm():
    runner = WarmRunner(ROOT, learner_env(KATAS_HYPOTHESIS_PROFILE="dev"))
    runner.wait_ready()
    yield runner
    runner.close()


def run_quietly(runner, *args: str, limits: Limits | None = None, workers: int = 1):
    output = bytearray()
    run = runner.run([f"--katas-workers={workers}", *args], output.extend, limits or Limits())
    return run, output.decode(errors="replace")


def outcomes_of(results) -> dict[str, str]:
    return {result.nodeid: result.outcome for result in results}


def katas_folder(tmp: Path, kata, extra: str = "") -> Path:
    """A folder laid out like katas/ whose `kata` is its solution followed by `extra` (later defs win)."""
    folder = tmp / "katas"
    folder.mkdir(exist_ok=True)
    (folder / kata.file).write_text((ROOT / "solutions" / kata.file).read_text() + "\n\n" + extra)
    return folder


def plain_pytest(tmp: Path, *args: str) -> dict[str, str]:
    report = tmp / "plain.json"
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", f"--katas-report={report}", *args],
        cwd=ROOT,
        env=learner_env(KATAS_HYPOTHESIS_PROFILE="dev"),
        capture_output=True,
        timeout=300,
    )
    return {r["nodeid"]: r["outcome"] for r in json.loads(report.read_text())["results"]}


def mixed_katas(tmp: Path) -> Path:
    """One folder laid out like katas/: kata 1 solved, kata 8 a wrong solution (a mutant), kata 4 the stub."""
    folder = tmp / "mixed"
    folder.mkdir()
    shutil.copy(ROOT / "solutions" / PIPELINE.file, folder / PIPELINE.file)
    mutants, _ = find_mutants(COURSE)
    next(m for m in mutants if m.kata == COMPARED[1]).write_kata(ROOT, folder)
    shutil.copy(ROOT / "katas" / COMPARED[2].file, folder / COMPARED[2].file)
    return folder


def test_warm_and_subprocess_verdicts_equal_plain_pytests_on_solutions_stubs_and_wrong_solutions(warm, tmp_path):
    args = [f"--katas-dir={mixed_katas(tmp_path)}", *(kata.test_file for kata in COMPARED)]
    expected = plain_pytest(tmp_path, *args)
    by_kata = {kata.name: {o for n, o in expected.items() if n.startswith(kata.test_file)} for kata in COMPARED}
    assert by_kata == {
        "pipeline": {"passed"},
        "sequence_classification": {"passed", "failed"},
        "tokenizers": {"not started"},
    }, expected
    subprocess_runner = SubprocessRunner(ROOT, learner_env(KATAS_HYPOTHESIS_PROFILE="dev"))
    for runner, workers in ((warm, 1), (warm, 2), (subprocess_runner, 1), (subprocess_runner, 2)):
        run, output = run_quietly(runner, *args, workers=workers)
        assert run.problem() is None, output
        assert outcomes_of(run.results) == expected, f"{type(runner).__name__}, {workers} worker(s):\n{output}"
        assert run.complete_katas == {kata.name for kata in COMPARED}


def test_a_run_split_over_workers_prints_what_one_process_prints(warm, tmp_path):
    """The same examples (one hypothesis seed): the same output, failures, summary and progress, in the same order;
    and the same results remembered."""
    args = [
        f"--katas-dir={mixed_katas(tmp_path)}",
        "--hypothesis-seed=3",
        "-p",
        "no:cacheprovider",
        *(kata.test_file for kata in COMPARED),
    ]
    outputs, results = [], []

    def own(text: str) -> str:  # each run has its own temporary folder (pytest-N) and time
        return re.sub(r" in \d+\.\d+s|pytest-\d+", "(run's own)", text)

    for workers in (1, 2):
        run, output = run_quietly(warm, *args, workers=workers)
        outputs.append(own(output))
        results.append([(result.nodeid, result.outcome, own(result.message)) for result in run.results])
    assert "failed" in outputs[0] and "not started" in outputs[0], outputs[0]
    assert outputs[1] == outputs[0]
    assert results[1] == results[0]


FAULTS = {
    # libc's own _exit and a SIGINT of its own: ends of a process that katakit.guards cannot turn into a failure.
    "_exit": (
        "def build_generator(folder):\n    import ctypes\n    ctypes.CDLL(None)._exit(0)\n",
        "ended during test_build_generator_returns_a_text_generation_pipeline[gpt2] with exit code 0",
    ),
    "SIGINT": (
        "def build_generator(folder):\n    import os, signal\n    os.kill(os.getpid(), signal.SIGINT)\n"
        "    import time\n    time.sleep(5)\n",
        "KeyboardInterrupt raised in the kata's code",
    ),
    "segfault": (
        "def build_generator(folder):\n    import ctypes\n    ctypes.string_at(0)\n",
        "crashed during test_build_generator_returns_a_text_generation_pipeline[gpt2]: killed by SIGSEGV",
    ),
    "a loop that ignores the time limit": (
        "def build_generator(folder):\n    import signal, time\n    signal.signal(signal.SIGALRM, signal.SIG_IGN)\n"
        "    while True:\n        time.sleep(0.05)\n",
        "stopped during test_build_generator_returns_a_text_generation_pipeline[gpt2]: no test ended for 3 s",
    ),
    "a flood of output": (
        "def build_generator(folder):\n    print('x' * 3_000_000)\n    raise ValueError('no')\n",
        "stopped during test_build_generator_returns_a_text_generation_pipeline[gpt2]: it printed more than 1 MB",
    ),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_faulty_run_ends_only_its_child_and_says_how_in_one_line(warm, tmp_path, fault):
    code, problem = FAULTS[fault]
    folder = katas_folder(tmp_path, PIPELINE, code)
    limits = Limits(stall_seconds=3, output_bytes=2**20)
    started = time.monotonic()
    # pytest's capture cuts what a failing test printed to a screen's worth (katakit.failure): `-s` lets the flood
    # through, as output past the capture would come.
    uncaptured = ["-s"] if fault == "a flood of output" else []
    run, output = run_quietly(warm, *uncaptured, f"--katas-dir={folder}", FIRST_TEST, limits=limits)
    assert time.monotonic() - started < 60, "the runner did not stop the run"
    assert run.problem() is not None and problem in run.problem(), f"{run.problem()}\n{output[-2000:]}"
    assert "\n" not in run.problem()
    assert len(output) <= limits.output_bytes
    assert run.stopped == {"a flood of output": FLOODED, "a loop that ignores the time limit": STALLED}.get(fault)
    assert warm.alive
    after, output = run_quietly(warm, "--solutions", FIRST_TEST)
    assert after.problem() is None and outcomes_of(after.results) == {FIRST_TEST: "passed"}, output


@pytest.mark.parametrize("fault", ["_exit", "SIGINT", "segfault", "a loop that ignores the time limit"])
def test_a_faulty_run_split_over_workers_ends_where_one_process_would_have(warm, tmp_path, fault):
    # Every task-1 test calls the faulty function, a few of them at once: the run ends in the first.
    code, problem = FAULTS[fault]
    folder = katas_folder(tmp_path, PIPELINE, code)
    run, output = run_quietly(
        warm,
        f"--katas-dir={folder}",
        "-k",
        "build_generator",
        PIPELINE.test_file,
        limits=Limits(stall_seconds=3),
        workers=2,
    )
    assert run.problem() is not None and problem in run.problem(), f"{run.problem()}\n{output[-2000:]}"
    assert run.results == [] and warm.alive
    after, output = run_quietly(warm, "--solutions", "-k", "build_generator", PIPELINE.test_file, workers=2)
    assert after.problem() is None and set(outcomes_of(after.results).values()) == {"passed"}, output


def test_memory_past_the_limit_fails_the_kata_not_the_runner(warm, tmp_path):
    # Address space, never touched: the limit is reached in a moment without using the machine's memory.
    code = (
        "def build_generator(folder):\n    import torch\n    kept = []\n    while True:\n"
        "        kept.append(torch.empty(2**28, dtype=torch.uint8))\n"
    )
    run, output = run_quietly(warm, f"--katas-dir={katas_folder(tmp_path, PIPELINE, code)}", FIRST_TEST)
    assert run.problem() is None, output
    assert outcomes_of(run.results) == {FIRST_TEST: "failed"} and "can't allocate memory" in output, output
    after, output = run_quietly(warm, "--solutions", FIRST_TEST)
    assert outcomes_of(after.results) == {FIRST_TEST: "passed"}, output


def test_what_a_kata_changes_in_its_process_never_reaches_the_next_run(warm, tmp_path):
    spoiler = (
        "import torch, transformers, katakit.fixtures, katakit.reference, sys\n"
        "torch.set_default_dtype(torch.float64)\ntorch.manual_seed(1234)\ntorch.set_grad_enabled(False)\n"
        "transformers.pipeline = transformers.AutoModel = None\nkatakit.fixtures.load = None\n"
        "katakit.reference.greedy_continuation = lambda *args: 'pasted'\nsys.modules['torch.nn'] = None\n"
    )
    folder = tmp_path / "katas"
    folder.mkdir()
    (folder / PIPELINE.file).write_text(spoiler + (ROOT / "solutions" / PIPELINE.file).read_text())
    spoiled, output = run_quietly(warm, f"--katas-dir={folder}", PIPELINE.test_file)
    assert "failed" in outcomes_of(spoiled.results).values(), output
    pid = warm.ready["pid"]
    after, output = run_quietly(warm, "--solutions", PIPELINE.test_file)
    assert after.problem() is None and set(outcomes_of(after.results).values()) == {"passed"}, output
    assert warm.ready["pid"] == pid and warm.alive


def test_each_run_loads_the_kata_file_anew_even_from_a_child_made_ready_ahead(warm, tmp_path):
    folder = katas_folder(tmp_path, PIPELINE)
    args = [f"--katas-dir={folder}", FIRST_TEST]

    def verdict() -> str:
        output = bytearray()
        run = warm.run(args, output.extend, Limits(), again=True)  # the next such run is made ready ahead
        return outcomes_of(run.results).get(FIRST_TEST, output.decode(errors="replace"))

    first = verdict()
    kata = folder / PIPELINE.file
    source = kata.read_text()
    kata.write_text(source + "\n\ndef build_generator(folder):\n    return None\n")  # same second, other size
    second = verdict()
    kata.write_text(source)
    third = verdict()
    assert [first, second, third] == ["passed", "failed", "passed"]
    # Another run at once, while the child made ready ahead is still starting: it is put aside, not waited for.
    other, output = run_quietly(warm, "--solutions", FIRST_TEST)
    assert outcomes_of(other.results) == {FIRST_TEST: "passed"}, output


def test_a_run_can_be_cancelled(warm, tmp_path):
    code = "def build_generator(folder):\n    while True:\n        pass\n"
    folder = katas_folder(tmp_path, PIPELINE, code)
    threading.Timer(1.5, warm.cancel).start()
    started = time.monotonic()
    run, _ = run_quietly(warm, f"--katas-dir={folder}", FIRST_TEST)
    assert run.stopped == CANCELLED and time.monotonic() - started < 8


def test_the_warm_parent_has_one_thread_and_stays_small(warm):
    # fork() copies only the calling thread: a second thread in the parent could leave a lock held forever.
    threads = len(list(Path(f"/proc/{warm.ready['pid']}/task").iterdir()))
    assert threads == 1
    assert warm.ready["rss_mb"] < 1536, warm.ready


def test_a_warm_parent_that_cannot_start_says_why(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(ROOT / "katakit", course / "katakit", ignore=shutil.ignore_patterns("__pycache__"))
    (course / "katakit" / "runner" / "warmup.py").write_text("raise ImportError('a broken install')\n")
    from katakit.runner import RunnerFailed

    runner = WarmRunner(course, learner_env())
    with pytest.raises(RunnerFailed, match="a broken install"):
        runner.wait_ready()
    runner.close()
