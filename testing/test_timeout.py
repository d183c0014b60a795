"""A kata that never returns fails its own tests at the time limit, with a message saying why; the run goes on."""

from __future__ import annotations

import json
import shutil
import time

import pytest
from test_plugin import KATA_TESTS, ROOT, PytestRun, kata_tests

from katakit.plugin import TIMEOUTS_PER_TASK
from katakit.profiles import WAIT_FACTOR

# One test of each kind kata 1 had at first, on GPT-2: two per function.
# Three of complete_text's: after TIMEOUTS_PER_TASK of them time out, the third is not run.
SELECTED = (
    "gpt2 and (returns_a_text_generation_pipeline or loads_the_model_saved or greedy_generate_without "
    "or equals_the_prompt_and_its_greedy_continuation or does_not_depend_on_the_random_seed "
    "or leaves_the_pipelines_model_alone)"
)
LIMIT_S = 3  # shorter than pyproject.toml's, to keep this test quick; still above any solution test here
ENDLESS = f"""

import threading
import time

_solution_continue_text = continue_text
_waits, _sleeps = [], []


def build_generator(model_dir):
    if not _waits:  # the first call waits for what never comes, computing nothing
        _waits.append(True)
        threading.Event().wait()
    return pipeline("text-generation", model=model_dir)


def continue_text(generator, prompt, max_new_tokens):
    if not _sleeps:  # past the limit by the clock, computing nothing, as on a machine busy with other work
        _sleeps.append(True)
        time.sleep({LIMIT_S} + 1)
    return _solution_continue_text(generator, prompt, max_new_tokens)


def complete_text(generator, prompt, max_new_tokens):
    while True:  # an endless loop that even swallows exceptions: the limit must still end it
        try:
            pass
        except Exception:
            pass
"""


@pytest.fixture(scope="module")
def endless_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("timeout")
    katas = tmp / "katas"
    shutil.copytree(ROOT / "solutions", katas, ignore=shutil.ignore_patterns("__pycache__"))
    kata_file = katas / "01_pipeline.py"
    kata_file.write_text(kata_file.read_text() + ENDLESS)  # the later definition wins
    started = time.monotonic()
    # The dev profile whatever the environment says: the limit grows with the profile's examples.
    run = PytestRun(
        "--katas-dir",
        str(katas),
        "-o",
        f"timeout={LIMIT_S}",
        "--hypothesis-profile=dev",
        "--katas-report",
        str(tmp / "report.json"),
        "-k",
        SELECTED,
        KATA_TESTS,
    )
    run.returncode  # noqa: B018  (waits for the run)
    yield run, json.loads((tmp / "report.json").read_text()), time.monotonic() - started
    run.stop()


def results_of(run, report) -> dict:
    results = {result["nodeid"].partition("::")[2]: result for result in report["results"]}
    assert set(results) == set(kata_tests(SELECTED)), run.output
    return results


def test_an_endless_kata_fails_each_of_its_tests_with_the_time_limit_message(endless_run):
    run, report, _ = endless_run
    assert run.returncode == 1, run.output
    results = results_of(run, report)
    functions = kata_tests(SELECTED)
    endless = [
        results[r["nodeid"].partition("::")[2]]
        for r in report["results"]  # in the order they ran
        if functions[r["nodeid"].partition("::")[2]][1] == "complete_text"
    ]
    assert len(endless) > TIMEOUTS_PER_TASK and {test["outcome"] for test in endless} == {"failed"}, run.output
    for test in endless[:TIMEOUTS_PER_TASK]:
        assert test["message"] == (
            f"computed for longer than {LIMIT_S} s: an endless loop? generate() without max_new_tokens? "
            "A kata test computes for about a second. (kata pipeline, task 3)"
        ), run.output
    for test in endless[TIMEOUTS_PER_TASK:]:  # each would cost the whole limit again
        assert test["message"].startswith(
            f"not run: {TIMEOUTS_PER_TASK} tests of this task already ran past their time limit"
        ), test
    assert "Traceback" not in run.output and "Timeout" not in run.output, run.output


def test_a_kata_that_waits_forever_is_stopped_after_a_longer_wait(endless_run):
    run, report, _ = endless_run
    waited = results_of(run, report)["test_build_generator_returns_a_text_generation_pipeline[gpt2]"]
    assert waited["outcome"] == "failed", run.output
    assert waited["message"].startswith(f"did not end within {LIMIT_S * WAIT_FACTOR} s, computing for "), run.output
    assert "is it waiting for something that never comes" in waited["message"], run.output


def test_time_past_the_limit_without_computing_is_no_timeout(endless_run):
    # continue_text's first call sleeps past the limit: what a busy machine does to a correct solution.
    run, report, _ = endless_run
    results = results_of(run, report)
    slow = [test for test, (_, function) in kata_tests(SELECTED).items() if function == "continue_text"]
    assert {results[test]["outcome"] for test in slow} == {"passed"}, run.output


def test_the_other_tests_of_the_run_still_run_and_pass(endless_run):
    run, report, _ = endless_run
    loads = "test_build_generator_loads_the_model_saved_in_the_folder_ready_for_inference[gpt2]"
    assert results_of(run, report)[loads]["outcome"] == "passed"
    assert "4 failed, 4 passed" in run.output, run.output


def test_hypothesis_does_not_replay_the_endless_example(endless_run):
    # Hypothesis replays a failing example to shrink it; a replay would have no timer and never end.
    run, _, seconds = endless_run
    assert seconds < 60, f"the run took {seconds:.0f} s"
    assert "Falsifying example" not in run.output, run.output
