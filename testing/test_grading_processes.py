"""The grader's processes: forked from a warm runner per worker, a kata whose import hangs cut off by a limit of
its own, and a grader killed by any signal taking every grading process with it."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from course_runs import ROOT
from grading_cases import PIPELINE, TOKENIZERS, solution, stub

from katakit.grading.command import GradeOptions, build_zoo, grade
from katakit.grading.sandbox import POLICY_ENV, TIMED_OUT, Limits
from katakit.manifest import load_course

COURSE = load_course(ROOT)
SEED, PROFILE = 1, "dev"


@pytest.fixture(scope="module")
def zoo(tmp_path_factory) -> Path:
    """The models for SEED, built once: each grading below finds them in its output folder."""
    return build_zoo(tmp_path_factory.mktemp("zoo") / ".zoo", SEED, say=lambda line: None)


def output_folder(tmp_path: Path, zoo: Path) -> Path:
    out = tmp_path / "out"
    shutil.copytree(zoo, out / ".zoo")
    return out


def submission(folder: Path, katas: dict[str, str]) -> Path:
    (folder / "katas").mkdir(parents=True)
    for name, text in katas.items():
        (folder / "katas" / name).write_text(text)
    return folder


def test_a_kata_whose_import_hangs_times_out_by_its_own_limit_and_the_other_kata_is_graded(tmp_path, zoo):
    hangs = "import time\n\ntime.sleep(3600)\n\n" + solution(PIPELINE)
    path = submission(tmp_path / "sleepy", {PIPELINE: hangs, TOKENIZERS: solution(TOKENIZERS)})
    options = GradeOptions(
        out=output_folder(tmp_path, zoo), jobs=1, seed=SEED, profile=PROFILE, katas=("pipeline", "tokenizers"),
        limits=Limits(import_seconds=2),
    )  # fmt: skip
    (record,) = grade(COURSE, [path], options, say=lambda line: None)

    pipeline = [test for test in record["tests"] if test["kata"] == "pipeline"]
    assert pipeline and all(test["outcome"] == TIMED_OUT for test in pipeline), pipeline
    assert all("import" in test["message"] and PIPELINE in test["message"] for test in pipeline), pipeline[0]
    tokenizers = [test for test in record["tests"] if test["kata"] == "tokenizers"]
    assert tokenizers and all(test["outcome"] == "passed" for test in tokenizers), tokenizers
    # One process cut off at the import, one for the tests left: not one per test of the kata.
    assert record["processes"] == 2


def test_solutions_that_seed_torch_earn_every_point(tmp_path, zoo):
    """`torch.manual_seed` in a kata makes torch format the stack (lines of the tests included) for a lazy CUDA
    call: the library's doing, not the kata reading the tests."""
    files = {kata.file: (ROOT / "solutions" / kata.file).read_text() for kata in COURSE.katas}
    seeding = [kata.name for kata in COURSE.katas if "manual_seed" in files[kata.file]]
    assert seeding, "no solution seeds torch any more: this test has nothing to check"
    path = submission(
        tmp_path / "seeds", {COURSE.kata_named(name).file: files[COURSE.kata_named(name).file] for name in seeding}
    )
    options = GradeOptions(out=output_folder(tmp_path, zoo), jobs=1, seed=SEED, profile=PROFILE, katas=tuple(seeding))
    (record,) = grade(COURSE, [path], options, say=lambda line: None)
    assert not record["tampering"], record["tampering"]
    assert record["points"] == record["max_points"], [t for t in record["tests"] if t["outcome"] != "passed"]


def test_a_lone_submission_is_graded_in_parts_side_by_side_and_reads_as_one_run(tmp_path, zoo):
    path = submission(tmp_path / "lone", {PIPELINE: solution(PIPELINE), TOKENIZERS: stub(TOKENIZERS)})
    records = []
    for jobs in (1, 2):
        out = output_folder(tmp_path / f"jobs-{jobs}", zoo)
        options = GradeOptions(out=out, jobs=jobs, seed=SEED, profile=PROFILE, katas=("pipeline", "tokenizers"))
        (record,) = grade(COURSE, [path], options, say=lambda line: None)
        records.append(record)
    whole, parts = records
    assert (whole["processes"], parts["processes"]) == (1, 2), "two jobs, one submission: a part of it each"
    assert [(t["nodeid"], t["outcome"], t["message"]) for t in parts["tests"]] == [
        (t["nodeid"], t["outcome"], t["message"]) for t in whole["tests"]
    ]
    assert (parts["points"], parts["tasks"]) == (whole["points"], whole["tasks"])


def grading_processes(out: Path) -> list[int]:
    """Every process of this machine working for a grading run whose output folder is `out`."""
    marker = f"{POLICY_ENV}={out}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if marker in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:  # gone meanwhile, or not ours to read
                pass
    return found


def started_a_test(out: Path) -> bool:
    for stream in (out / ".work").glob("slot-*/stream-*.jsonl"):
        if '"event": "start"' in stream.read_text(errors="replace"):
            return True
    return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; the parent-death signal is Linux's")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_a_grader_killed_by_a_signal_leaves_no_grading_process_and_a_rerun_grades_as_usual(tmp_path, zoo, sig):
    path = submission(tmp_path / "ada", {PIPELINE: solution(PIPELINE)})
    out = output_folder(tmp_path, zoo)
    command = [sys.executable, "-m", "katakit.cli", "grade", str(path), "--out", str(out), "--kata", "pipeline"]
    command += ["--profile", PROFILE, "--seed", str(SEED), "--jobs", "1"]
    grader = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    while not started_a_test(out):
        assert grader.poll() is None, "the grader ended before its first test"
        assert time.monotonic() < deadline, "no grading process started a test"
        time.sleep(0.05)
    working = grading_processes(out)
    assert len(working) >= 2, f"the warm runner and its grading process should be at work: {working}"

    grader.send_signal(sig)
    grader.wait()
    deadline = time.monotonic() + 10
    while (left := grading_processes(out)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not left, f"grading processes outlived the grader: {left}"

    again = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stdout + again.stderr
    record = json.loads((out / "results" / "ada.json").read_text())
    assert record["points"] == record["max_points"] == 3, record["tests"]
    assert not grading_processes(out)
