"""The `katas` command's learner loop, run as the learner runs it, on a temporary copy of the course."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from course_runs import copy_course as copy_courses
from course_runs import learner_env

from katakit.manifest import load_course

ROOT = Path(__file__).resolve().parents[1]
# `list` and `next` run the whole course in a subprocess: far more than the per-test default.
pytestmark = pytest.mark.timeout(600)


def copy_course(destination: Path) -> Path:
    # The copy carries its own katakit: `python -m katakit.cli` and its pytest runs import the copy's tools.
    return copy_courses(destination, with_tools=True)


def katas(root: Path, *args: str, stdin=subprocess.DEVNULL) -> subprocess.CompletedProcess:
    env = learner_env(KATAS_HYPOTHESIS_PROFILE="dev")
    return subprocess.run(
        [sys.executable, "-m", "katakit.cli", *args],
        cwd=root,
        env=env,
        stdin=stdin,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def first_kata_solved(tmp_path_factory) -> Path:
    """A course copy whose learner has solved the first kata and nothing else, and has run `katas list`."""
    root = copy_course(tmp_path_factory.mktemp("course"))
    first = load_course(root).katas[0]
    shutil.copy(root / "solutions" / first.file, root / "katas" / first.file)
    listed = katas(root, "list")
    assert listed.returncode == 0, listed.stdout + listed.stderr
    return root, listed.stdout


def test_list_shows_each_kata_status_from_a_real_run(first_kata_solved):
    root, output = first_kata_solved
    course = load_course(root)
    lines = output.splitlines()
    first, second = course.katas[0], course.katas[1]
    assert f"running the tests of {len(course.katas)} kata(s)" in output
    assert any(
        line.startswith(f" 1. {first.name} ")
        and " solved " in line
        and f"{len(first.tasks)}/{len(first.tasks)} tasks" in line
        for line in lines
    ), output
    assert any(line.startswith(f" 2. {second.name} ") and " not started " in line for line in lines), output
    assert f"Katas: 1 solved, 0 failing, {len(course.katas) - 1} not started." in output
    # The line may wrap at 80 columns: compare with whitespace runs made single spaces.
    assert f"Next: katas/{second.file}, task 1: {second.tasks[0].title}" in " ".join(output.split())


def test_list_runs_only_the_katas_changed_since_their_last_run(first_kata_solved):
    root, first_listing = first_kata_solved
    course = load_course(root)
    again = katas(root, "list")
    assert "running the tests" not in again.stdout, again.stdout
    assert again.stdout.strip() in first_listing, "the same table, from the remembered results"
    kata_file = root / "katas" / course.katas[2].file
    kata_file.write_text(kata_file.read_text() + "\n# the learner saved it\n")
    changed = katas(root, "list")
    assert "running the tests of 1 kata(s)" in changed.stdout, changed.stdout
    assert changed.stdout.splitlines()[1:] == again.stdout.splitlines(), "the same statuses"


def test_next_runs_the_first_unsolved_kata_and_shows_its_hint_once(first_kata_solved):
    root, _ = first_kata_solved
    second = load_course(root).katas[1]
    result = katas(root, "next")
    assert result.returncode == 1, result.stdout + result.stderr  # pytest's exit code: that kata's tests fail
    assert f"pytest {second.test_file}" in result.stdout
    assert f"{second.test_file} " in result.stdout  # pytest's own progress line for that file only
    assert "tests/test_01_" not in result.stdout, "next ran the solved kata's tests too"
    # The line may wrap at 80 columns: compare with whitespace runs made single spaces.
    assert f"Next: katas/{second.file}, task 1: {second.tasks[0].title}" in " ".join(result.stdout.split())
    assert result.stdout.count("Next:") == 1 and result.stdout.count("Hint: ") == 1, result.stdout


@pytest.mark.parametrize("given", ["5", "logits", "05_logits.py", "katas/05_logits.py", "tests/test_05_logits.py"])
def test_a_kata_is_named_by_its_name_number_or_file(given):
    assert load_course(ROOT).find(given) == load_course(ROOT).kata_named("logits")


def test_hint_and_next_take_a_kata_number(first_kata_solved):
    root, _ = first_kata_solved
    logits = load_course(root).kata_named("logits")
    hint = katas(root, "hint", "5", "2")
    assert hint.returncode == 0 and hint.stdout.startswith(f"logits, task 2: {logits.tasks[1].title}"), hint.stdout
    nothing = katas(root, "hint", "16")
    assert nothing.returncode != 0 and "1 pipeline, 2 tokenizer_generate" in nothing.stderr, nothing.stderr
    ran = katas(root, "next", "05_logits.py")
    assert f"pytest {logits.test_file}" in ran.stdout and f"{logits.test_file} nnnn" in ran.stdout, ran.stdout


@pytest.fixture
def course_copy(tmp_path) -> Path:
    return copy_course(tmp_path)


def snapshot_of_files(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def test_reset_restores_the_stub_and_touches_no_other_file(course_copy):
    first, second = load_course(course_copy).katas[:2]
    for kata in (first, second):  # the learner has worked on two katas
        shutil.copy(course_copy / "solutions" / kata.file, course_copy / "katas" / kata.file)
    before = snapshot_of_files(course_copy)
    result = katas(course_copy, "reset", "1", "--yes")  # by its number
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"katas/{first.file} is its untouched stub again" in result.stdout
    after = snapshot_of_files(course_copy)
    changed = {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
    assert changed == {f"katas/{first.file}"}, changed
    assert after[f"katas/{first.file}"] == (ROOT / "katas" / first.file).read_bytes()


def test_reset_refuses_without_confirmation_and_changes_nothing(course_copy):
    first = load_course(course_copy).katas[0]
    shutil.copy(course_copy / "solutions" / first.file, course_copy / "katas" / first.file)
    before = snapshot_of_files(course_copy)
    refused = katas(course_copy, "reset", first.name)  # stdin is no terminal, and no --yes
    assert refused.returncode != 0
    assert "add --yes" in refused.stderr and "nothing was changed" in refused.stderr, refused.stderr
    assert snapshot_of_files(course_copy) == before


def test_the_pristine_copies_are_the_stubs_of_this_course():
    from katakit.course_check import pristine_violations

    course = load_course(ROOT)
    assert [str(v) for kata in course.katas for v in pristine_violations(ROOT, kata)] == []


def test_check_fails_when_a_pristine_copy_drifts_from_its_stub(course_copy):
    from katakit.course_check import pristine_violations

    kata = load_course(course_copy).kata_named("pipeline")
    assert pristine_violations(course_copy, kata) == []
    pristine = course_copy / "katakit" / "pristine" / kata.file
    pristine.write_bytes(pristine.read_bytes() + b"\n")
    assert [str(v) for v in pristine_violations(course_copy, kata)] == [
        f"FAIL pipeline: the pristine copy of katas/{kata.file} differs from it: run `katas snapshot`"
    ]
    pristine.unlink()
    assert [str(v) for v in pristine_violations(course_copy, kata)] == [
        f"FAIL pipeline: no pristine copy of katas/{kata.file}: run `katas snapshot`"
    ]


def test_models_prints_each_zoo_folder_and_one_by_name():
    listed = katas(ROOT, "models")
    assert listed.returncode == 0, listed.stdout + listed.stderr
    folders = dict(line.split(maxsplit=1) for line in listed.stdout.splitlines()[1:])
    assert {"gpt2", "llama", "bert", "sentiment", "ner", "vit"} <= set(folders), listed.stdout
    for folder in folders.values():
        assert (Path(folder) / "config.json").is_file(), folder
    one = katas(ROOT, "models", "gpt2")
    assert one.returncode == 0 and one.stdout.strip() == folders["gpt2"], one.stdout
    unknown = katas(ROOT, "models", "gpt-5")
    assert unknown.returncode != 0 and "no model 'gpt-5'; the zoo has" in unknown.stderr, unknown.stderr


def test_the_readmes_example_runs_on_the_zoo_models(tmp_path):
    readme = (ROOT / "README.md").read_text()
    block = readme.split("<!-- models-example -->\n```python\n", 1)[1].split("```\n<!-- /models-example -->", 1)[0]
    script = tmp_path / "example.py"
    script.write_text(block)
    env = learner_env(PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    run = subprocess.run([sys.executable, str(script)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    lines = run.stdout.splitlines()
    assert lines[0].startswith("[{'generated_text': 'Hello world"), run.stdout
    assert lines[-1].startswith("torch.Size([1, "), run.stdout
