"""`katas check` fails, naming the problem, when a solution breaks or a stub stops being a stub."""

import json
import os
import re
import shutil
import subprocess
import sys
from collections import namedtuple
from pathlib import Path

import pytest
from course_runs import copy_course

from katakit.course_check import FIRST_KILLS, file_violations, tree_violations
from katakit.manifest import load_course
from katakit.mutants import killers_first, mutant_of_test_id, read_first_kills

ROOT = Path(__file__).resolve().parents[1]
# Each check runs two pytest sessions in subprocesses: far more than the per-test default.
pytestmark = pytest.mark.timeout(600)


@pytest.fixture
def course_copy(tmp_path) -> Path:
    return copy_course(tmp_path)


def katas_check(root: Path, *names: str) -> subprocess.CompletedProcess:
    # The quick hypothesis profile: these tests are about the check's verdicts, not the katas'.
    env = {**os.environ, "KATAS_HYPOTHESIS_PROFILE": "dev"}
    return subprocess.run(
        [sys.executable, "-m", "katakit.cli", "--root", str(root), "check", *names],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )


def edit(path: Path, old: str, new: str) -> None:
    source = path.read_text()
    assert old in source, f"{path.name} no longer holds {old!r}: update this test"
    path.write_text(source.replace(old, new))


def test_check_passes_on_the_course_as_it_is(course_copy):
    result = katas_check(course_copy, "1")  # a kata by its number, as every other command takes it
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok   pipeline" in result.stdout
    # The test that killed each mutant, which the next check runs first.
    kills = json.loads((course_copy / FIRST_KILLS).read_text())
    mutants = (course_copy / "mutants/pipeline").glob("*.py")
    assert sorted(kills) == sorted(f"mutant=pipeline/{path.stem}" for path in mutants)
    assert all(
        nodeid.startswith("tests/test_01_pipeline.py::") and mutant_of_test_id(nodeid) == label
        for label, nodeid in kills.items()
    ), kills


def test_killers_first_runs_each_mutants_remembered_killer_first_and_its_tests_together():
    item = namedtuple("Item", "path nodeid")
    tests = Path("tests/test_01_pipeline.py")

    def test(name: str, label: str):
        return item(tests, f"{tests}::{name}[{label}]")

    a, b = "mutant=pipeline/1_one", "mutant=pipeline/1_other"
    items = [test("t1", a), test("t2", b), test("t2", a), test("t3", a), test("t1", b)]
    killers_first(items, {a: test("t3", a).nodeid, b: "tests/test_01_pipeline.py::gone[x]"})
    assert items == [test("t3", a), test("t1", a), test("t2", a), test("t2", b), test("t1", b)]


def test_first_kills_that_cannot_be_read_are_none(tmp_path):
    assert read_first_kills(tmp_path / "missing.json") == {}
    (tmp_path / "bad.json").write_text("[not json")
    assert read_first_kills(tmp_path / "bad.json") == {}


def test_check_names_the_katas_when_a_name_matches_none():
    result = katas_check(ROOT, "pipelines")
    assert result.returncode == 1, result.stdout
    assert "no kata named pipelines; the katas are: 1 pipeline, 2 tokenizer_generate" in result.stdout


def test_check_fails_naming_the_test_when_a_solution_breaks(course_copy):
    # A plausible mistake: the pipeline's default sampling left on.
    edit(
        course_copy / "solutions/01_pipeline.py",
        "do_sample=False, max_new_tokens=max_new_tokens, return_full_text=False",
        "max_new_tokens=max_new_tokens, return_full_text=False",
    )
    result = katas_check(course_copy, "pipeline")
    assert result.returncode == 1, result.stdout
    assert "does not pass on solutions/01_pipeline.py" in result.stdout
    assert "test_generated_text_does_not_depend_on_the_random_seed[gpt2-continue_text]" in result.stdout


def test_check_fails_when_a_stub_is_replaced_by_its_solution(course_copy):
    shutil.copy(course_copy / "solutions/01_pipeline.py", course_copy / "katas/01_pipeline.py")
    result = katas_check(course_copy, "pipeline")
    assert result.returncode == 1, result.stdout
    assert "passes on the untouched stub katas/01_pipeline.py" in result.stdout
    assert "has no `# TODO:`" in result.stdout


def test_file_checks_name_a_stub_without_todo_or_raise(course_copy):
    kata = load_course(course_copy).kata_named("automodel_features")
    edit(course_copy / "katas" / kata.file, "    # TODO: load both with the Auto classes that fit.\n", "")
    edit(
        course_copy / "katas" / kata.file,
        "    # TODO: ask the model for its hidden states when you call it.\n    raise NotImplementedError",
        "    pass",
    )
    problems = [str(v) for v in file_violations(course_copy, kata)]
    assert any("`all_hidden_states` should end in `raise NotImplementedError`" in p for p in problems), problems
    edit(course_copy / "katas" / kata.file, "# TODO:", "# to do")
    problems = [str(v) for v in file_violations(course_copy, kata)]
    assert any("has no `# TODO:`" in p for p in problems), problems


def test_file_checks_name_a_stub_whose_notebook_cells_would_not_join_back_into_it(course_copy):
    kata = load_course(course_copy).kata_named("pipeline")
    assert not file_violations(course_copy, kata)
    edit(course_copy / "katas" / kata.file, "\n\n\ndef continue_text", "\n\ndef continue_text")
    problems = [str(v) for v in file_violations(course_copy, kata)]
    assert any("notebook's kata cells would not join back" in p for p in problems), problems


def test_file_checks_name_task_numbers_that_disagree_with_the_manifest(course_copy):
    kata = load_course(course_copy).kata_named("pipeline")
    edit(course_copy / "katas" / kata.file, '"""3. The prompt followed', '"""4. The prompt followed')
    problems = [str(v) for v in file_violations(course_copy, kata)]
    assert any("number tasks [1, 2, 4]; the manifest has [1, 2, 3]" in p for p in problems), problems


def test_tree_checks_name_files_missing_from_the_manifest(course_copy):
    (course_copy / "katas/04_extra.py").write_text('"""An extra kata nobody listed."""\n')
    (course_copy / "tests/test_04_extra.py").write_text("")
    problems = [str(v) for v in tree_violations(load_course(course_copy))]
    assert "FAIL manifest: katas/04_extra.py is not a kata of katas/katas.toml" in problems
    assert "FAIL manifest: tests/test_04_extra.py tests no kata of katas/katas.toml" in problems


def test_file_checks_name_a_property_without_an_explicit_example(course_copy):
    kata = load_course(course_copy).kata_named("pipeline")
    edit(
        course_copy / kata.test_file,
        '@example(prompt="Hello world", max_new_tokens=12)\ndef test_complete_text',
        "def test_complete_text",
    )
    problems = [str(v) for v in file_violations(course_copy, kata)]
    expected = (
        "FAIL pipeline: tests/test_01_pipeline.py: `test_complete_text_equals_the_prompt_and_its_greedy_"
        "continuation` uses @given without an @example"
    )
    assert expected in problems, problems


def test_check_fails_naming_the_mutant_a_weakened_test_lets_through_and_the_alternative_it_rejects(course_copy):
    # The tests of task 1, the only ones to see a pipeline built from the config's random weights, made to look
    # at nothing: every one of them gets its pipeline from `built`.
    edit(
        course_copy / "tests/test_01_pipeline.py",
        "def built(kata, folder):\n",
        "def built(kata, folder):\n    pytest.skip('made to look at nothing')\n",
    )
    # An "alternative" that is wrong stands for a correct solution that a too strict test rejects.
    (course_copy / "alternatives/pipeline/3_prompt_only.py").write_text(
        '"""Only the prompt."""\n\n\ndef complete_text(generator, prompt, max_new_tokens):\n    return prompt\n'
    )
    result = katas_check(course_copy, "pipeline")
    assert result.returncode == 1, result.stdout
    assert "mutants/pipeline/1_random_weights_from_config.py survives" in result.stdout
    assert "alternatives/pipeline/3_prompt_only.py, a correct solution, fails a test of task 3" in result.stdout
    counts = re.search(r"FAIL pipeline: \d+ tests, 3 tasks, (\d+) mutants, (\d+) killed", result.stdout)
    assert counts and int(counts[2]) < int(counts[1]), result.stdout


def test_check_wants_three_well_formed_mutants_per_task(course_copy):
    for path in (course_copy / "mutants/pipeline").glob("3_*.py"):
        path.unlink()
    (course_copy / "mutants/pipeline/9_no_such_task.py").write_text('"""A task the kata does not have."""\n')
    (course_copy / "mutants/pipeline/2_no_docstring.py").write_text("def continue_text(g, p, n):\n    return p\n")
    result = katas_check(course_copy, "pipeline")
    assert result.returncode == 1, result.stdout
    assert "task 3 has 0 mutant(s) in mutants/pipeline/" in result.stdout
    assert "mutants/pipeline/9_no_such_task.py: name it <task>_<mistake>.py" in result.stdout
    assert "mutants/pipeline/2_no_docstring.py: start it with a one-line docstring" in result.stdout
