"""The progress store (katakit.progress): a run remembers only the katas it ran to completion, a remembered
result holds while the kata's files are unchanged, and a kata whose tests did not all run is never solved."""

from __future__ import annotations

import shutil

import pytest
from course_runs import learner_env
from test_cli import copy_course

from katakit.manifest import load_course
from katakit.runner import WarmRunner
from katakit.runs import Learner

pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A course copy (its katakit too) with katas 1 and 4 solved, and a warm runner on it."""
    root = copy_course(tmp_path_factory.mktemp("course"))
    course = load_course(root)
    for name in ("pipeline", "tokenizers"):
        shutil.copy(root / "solutions" / course.kata_named(name).file, root / "katas" / course.kata_named(name).file)
    runner = WarmRunner(root, learner_env(KATAS_HYPOTHESIS_PROFILE="dev"))
    yield course, runner
    runner.close()


def run(course_and_runner, *args: str) -> str:
    course, runner = course_and_runner
    output = bytearray()
    runner.run(["--color=no", *args], output.extend)
    return output.decode(errors="replace")


def statuses(course) -> dict[str, str]:
    return {name: entry.status for name, entry in Learner(course).known().items()}


def test_only_runs_that_ran_a_kata_whole_are_remembered(course):
    kata_course, _ = course
    pipeline, tokenizers = kata_course.kata_named("pipeline"), kata_course.kata_named("tokenizers")
    (kata_course.root / ".katas" / "progress.json").unlink(missing_ok=True)

    output = run(course, tokenizers.test_file, "-k", "offsets")  # some of kata 4's tests only
    assert "partly run" in output and " solved " not in output, output
    output = run(course, f"{pipeline.test_file}::test_build_generator_returns_a_text_generation_pipeline")
    assert "partly run" in output, output
    assert statuses(kata_course) == {}, "a run of some tests remembers nothing"

    run(course, pipeline.test_file, tokenizers.test_file)
    assert statuses(kata_course) == {"pipeline": "solved", "tokenizers": "solved"}

    kata_file = kata_course.root / "katas" / pipeline.file
    kata_file.write_text(kata_file.read_text() + "\n# saved again\n")
    assert statuses(kata_course) == {"tokenizers": "solved"}, "a changed kata file is not known any more"
    test_file = kata_course.root / tokenizers.test_file
    test_file.write_text(test_file.read_text() + "\n")
    assert statuses(kata_course) == {}, "nor is a kata whose tests changed"


# What still cuts a run short (katakit/guards.py turns a kata's own exits into failures): a Ctrl-C, and a kill.
@pytest.mark.parametrize(
    "fault",
    [
        "import os, signal\n    os.kill(os.getpid(), signal.SIGINT)",
        "import os, signal\n    os.kill(os.getpid(), signal.SIGKILL)",
    ],
)
def test_a_run_cut_short_changes_nothing_remembered_and_shows_nothing_solved(course, fault):
    kata_course, _ = course
    pipeline = kata_course.kata_named("pipeline")
    kata_file = kata_course.root / "katas" / pipeline.file
    solution = (kata_course.root / "solutions" / pipeline.file).read_text()
    kata_file.write_text(solution)
    run(course, pipeline.test_file)
    assert statuses(kata_course)["pipeline"] == "solved"
    remembered = (kata_course.root / ".katas" / "progress.json").read_text()

    # Task 3's function stops the run: tasks 1 and 2 passed, task 3 never finished.
    kata_file.write_text(solution + f"\n\ndef complete_text(generator, prompt, max_new_tokens):\n    {fault}\n")
    output = run(course, pipeline.test_file)
    assert "pipeline                solved" not in output and "Every kata that ran is solved" not in output, output
    assert (kata_course.root / ".katas" / "progress.json").read_text() == remembered
    assert "pipeline" not in statuses(kata_course), "the kata file changed: its old result no longer counts"
    kata_file.write_text(solution)
    assert statuses(kata_course)["pipeline"] == "solved", "back as it was: the remembered result holds again"
