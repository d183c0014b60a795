"""KATAS_ZOO_SEED: every fixture builds its zoo model from it, so that an output memorised from the learner's zoo
(seed 0) passes there and fails under a grading seed.

Three runs of kata 1, once for the module, the last two together: each costs seconds, most of them importing
the library. The first records what the solution answers on the learner's zoo.
"""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from pathlib import Path

import pytest
from course_runs import copy_course, learner_env

from katakit import fixtures, zoo

GRADING_SEED = 1
# Every fixture that returns a zoo folder (pytest wraps fixtures: zoo_dir, a plain function, is their helper).
ZOO_FIXTURES = sorted(
    name for name, value in vars(fixtures).items() if name.endswith("_dir") and not inspect.isfunction(value)
)
PROBE = '''"""Not a kata test: the seed in the cache manifest of every zoo folder the fixtures return."""
import json
import os

from katakit.zoo.cache import MANIFEST


def test_every_zoo_folder_is_built_from_the_zoo_seed(FIXTURES):
    seeds = {folder.name: json.loads((folder / MANIFEST).read_text())["params"]["seed"] for folder in [FIXTURES]}
    assert set(seeds.values()) == {int(os.environ["KATAS_ZOO_SEED"])}, seeds
'''
PROBE_FILE = "tests/test_zoo_seed_probe.py"
KATA_TESTS = "tests/test_01_pipeline.py"
# Only task 2's tests: a failing hypothesis test shrinks its example, seconds that a second function would double.
MEMORISED_TESTS = "gpt2 and continue_text_equals_greedy_generate_without"  # one model: answers differ per model
# Appended to a copy of the solution: continue_text also writes down what it was asked and what it answered.
RECORDER = """

def _recording(function):
    import json

    def recorded(generator, prompt, max_new_tokens):
        text = function(generator, prompt, max_new_tokens)
        with open({table!r}, "a") as table:
            table.write(json.dumps([prompt, max_new_tokens, text]) + "\\n")
        return text

    return recorded


continue_text = _recording(continue_text)
"""
# A learner's kata that pasted the answers it saw instead of generating them.
MEMORISER = """

MEMORISED = {table}


def continue_text(generator, prompt, max_new_tokens):
    return MEMORISED.get((prompt, max_new_tokens), "")
"""


def pytest_run(course: Path, seed: int, *args: str) -> subprocess.Popen:
    # --hypothesis-seed: every run draws the same prompts, so the memorised ones are the ones asked; with it,
    # hypothesis keeps no example database either, so that no run replays another's failures.
    # The dev profile whatever the caller's: under ci (40 examples) the memorising run fails on seed 0 with an
    # example its recording did not cover (cause not found yet); this test is about the zoo's seed, not the search.
    env = learner_env(KATAS_ZOO_SEED=str(seed), OMP_NUM_THREADS="1", KATAS_HYPOTHESIS_PROFILE="dev")
    return subprocess.Popen(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--hypothesis-seed=0", *args],
        cwd=course,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finished(run: subprocess.Popen) -> tuple[int, str]:
    output = run.communicate(timeout=300)[0]
    return run.returncode, output


def kata_with(course: Path, folder: str, code: str) -> Path:
    """A copy of the solutions in `course/folder`, with `code` appended to kata 1."""
    katas = course / folder
    katas.mkdir()
    for solution in (course / "solutions").glob("*.py"):
        (katas / solution.name).write_text(solution.read_text(encoding="utf-8"), encoding="utf-8")
    kata = katas / "01_pipeline.py"
    assert "def continue_text(" in kata.read_text(), "solutions/01_pipeline.py changed: update this test"
    kata.write_text(kata.read_text(encoding="utf-8") + code, encoding="utf-8")
    return katas


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    course = copy_course(tmp_path_factory.mktemp("course"), with_tools=True)
    (course / PROBE_FILE).write_text(PROBE.replace("FIXTURES", ", ".join(ZOO_FIXTURES)))
    table = course / "recorded.jsonl"
    recorder = kata_with(course, "recorder", RECORDER.format(table=str(table)))
    returncode, output = finished(pytest_run(course, 0, f"--katas-dir={recorder}", "-k", MEMORISED_TESTS, KATA_TESTS))
    assert returncode == 0, output
    memorised = {(prompt, count): text for prompt, count, text in map(json.loads, table.read_text().splitlines())}
    memoriser = kata_with(course, "memoriser", MEMORISER.format(table=repr(memorised)))
    reports = {seed: course / f"report-{seed}.json" for seed in (0, GRADING_SEED)}
    # The grading run also runs the probe: one interpreter start less.
    started = {
        seed: pytest_run(
            course,
            seed,
            f"--katas-dir={memoriser}",
            f"--katas-report={report}",
            "-rA",
            "-k",
            f"{MEMORISED_TESTS} or probe",
            KATA_TESTS,
            *([PROBE_FILE] if seed == GRADING_SEED else []),
        )
        for seed, report in reports.items()
    }
    try:
        results = {seed: (*finished(run), json.loads(reports[seed].read_text())) for seed, run in started.items()}
    finally:
        for run in started.values():
            if run.poll() is None:  # a run that timed out, or not read when another failed
                run.kill()
                run.communicate()
    yield {"course": course, "memorised": memorised, **results}


def test_the_zoo_seed_is_katas_zoo_seed_or_zero(monkeypatch):
    monkeypatch.delenv("KATAS_ZOO_SEED", raising=False)
    assert zoo.zoo_seed() == 0
    monkeypatch.setenv("KATAS_ZOO_SEED", " 123456 ")
    assert zoo.zoo_seed() == 123456
    monkeypatch.setenv("KATAS_ZOO_SEED", "grading")
    with pytest.raises(ValueError, match="KATAS_ZOO_SEED='grading': the zoo seed must be a whole number"):
        zoo.zoo_seed()


def test_every_zoo_fixture_builds_its_model_from_the_zoo_seed_and_the_header_says_which(runs):
    _, output, _ = runs[GRADING_SEED]
    assert len(ZOO_FIXTURES) >= 7, ZOO_FIXTURES
    assert f"PASSED {PROBE_FILE}::" in output and f"FAILED {PROBE_FILE}::" not in output, output
    assert f"zoo seed {GRADING_SEED} (KATAS_ZOO_SEED)" in output, output


def test_a_zoo_seed_that_is_no_number_stops_the_run_with_one_line(runs):
    env = learner_env(KATAS_ZOO_SEED="grading")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", KATA_TESTS],
        cwd=runs["course"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 4, result.stdout + result.stderr
    assert "KATAS_ZOO_SEED='grading': the zoo seed must be a whole number" in result.stderr, result.stderr


def test_answers_memorised_from_the_learners_zoo_pass_on_it(runs):
    returncode, output, _ = runs[0]
    assert len(runs["memorised"]) > 5, runs["memorised"]
    assert returncode == 0, output


def test_answers_memorised_from_the_learners_zoo_fail_under_a_grading_seed(runs):
    returncode, output, report = runs[GRADING_SEED]
    assert returncode == 1, output
    failed = {result["nodeid"].split("::")[-1] for result in report["results"] if result["outcome"] == "failed"}
    assert failed == {"test_continue_text_equals_greedy_generate_without_the_prompt[gpt2]"}, output
