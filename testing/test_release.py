"""`katas release`: the student copy holds what a learner needs, gives no solution away, and runs on its own."""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml  # PyYAML comes with transformers; the course itself writes the workflow without it
from course_runs import copy_course, learner_env

from katakit.classroom import GRADER, REPORTER, WORKFLOW_PATH, workflow_text
from katakit.cli import main as katas
from katakit.manifest import load_course
from katakit.release import ReleaseRefused, release, student_readme

ROOT = Path(__file__).resolve().parents[1]
STUDENT_PARTS = {
    "setup.py",
    "README.ko.md",
    "README.md",
    "pyproject.toml",
    "conftest.py",
    ".gitignore",
    "katas",
    "tests",
    "katakit",
    ".github",
    "notebooks",
}
NEVER_RELEASED = ("solutions", "testing", "bench", ".ci", "docs", "mutants", "alternatives", ".git")
CACHES = {"__pycache__", ".katas", ".pytest_cache", ".hypothesis"}
INSTRUCTOR_WORDS = ("--solutions", "solutions/", "katas check", "katas release", "katas grade", "<!-- instructor")
# Where a test's reference is, by nature, the task's one-line answer: kata 6, task 1 asks for a GenerationConfig
# that samples, and its test builds the expected config the same way (its failure message names do_sample too).
REFERENCES_THAT_ARE_ANSWERS = {("06_generation.py", "sampling_config"): "tests/test_06_generation.py"}


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("release") / "student"
    release(ROOT, out)
    return out


def files_of(root: Path) -> list[str]:
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file())


def test_the_release_holds_the_course_and_nothing_for_instructors(released):
    assert {path.name for path in released.iterdir()} == STUDENT_PARTS
    for name in NEVER_RELEASED:
        assert not (released / name).exists(), f"the student copy holds {name}/"
    cached = [
        path
        for path in files_of(released)
        if CACHES & set(path.split("/")) or any(part.endswith(".egg-info") for part in path.split("/"))
    ]
    assert not cached, f"the student copy holds caches: {cached}"
    course = load_course(released)
    assert sorted(path.name for path in (released / "katas").iterdir()) == sorted(
        ["katas.toml"] + [kata.file for kata in course.katas]
    )
    for kata in course.katas:
        stub = (released / "katas" / kata.file).read_bytes()
        assert stub == (ROOT / "katakit/pristine" / kata.file).read_bytes(), f"katas/{kata.file} is not its stub"
        assert stub == (released / "katakit/pristine" / kata.file).read_bytes()


def meaningful_lines(text: str) -> list[str]:
    """The lines of `text` stripped of indentation, without blank lines and comment lines."""
    return [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]


def solution_bodies() -> dict[tuple[str, str], list[str]]:
    """Each solution function's body as written, docstring left out: {(file, function): its meaningful lines}."""
    bodies = {}
    for path in sorted((ROOT / "solutions").glob("*.py")):
        lines = path.read_text().splitlines()
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef):
                first = node.body[1] if isinstance(node.body[0], ast.Expr) and len(node.body) > 1 else node.body[0]
                bodies[path.name, node.name] = meaningful_lines("\n".join(lines[first.lineno - 1 : node.end_lineno]))
    return bodies


def test_no_released_file_holds_a_solution_function_body(released):
    bodies = solution_bodies()
    assert len(bodies) >= 50, "the solutions were not read"
    leaks = []
    for path in files_of(released):
        lines = meaningful_lines((released / path).read_text(encoding="utf-8"))
        for (file, function), body in bodies.items():
            if REFERENCES_THAT_ARE_ANSWERS.get((file, function)) == path:
                continue
            if any(lines[start : start + len(body)] == body for start in range(len(lines) - len(body) + 1)):
                leaks.append(f"{path} holds the body of solutions/{file}::{function}")
    assert not leaks, "\n".join(leaks)


def test_the_released_readme_has_no_instructor_part(released):
    readme = (released / "README.md").read_text()
    assert not [word for word in INSTRUCTOR_WORDS if word in readme], readme
    for kept in ("## Set up and start", "## The course", "## The offline models", "## Layout", "katas reset"):
        assert kept in readme, f"the student README lost {kept!r}"
    assert "## The suite's own tests" in (ROOT / "README.md").read_text()


def test_student_readme_drops_the_marked_parts_and_refuses_unbalanced_markers():
    text = "Intro.\n\n<!-- instructor -->\nSecret.\n<!-- /instructor -->\n\nOutro.\n"
    assert student_readme(text) == "Intro.\n\nOutro.\n"
    for broken in (
        "a\n<!-- instructor -->\nb\n",
        "a\n<!-- /instructor -->\n",
        "<!-- instructor -->\n<!-- instructor -->\n<!-- /instructor -->\n",
    ):
        with pytest.raises(ReleaseRefused, match="README.md"):
            student_readme(broken)
    with pytest.raises(ReleaseRefused, match="katas grade"):
        student_readme("Run `katas grade` on the submissions.\n")


def full_course(destination: Path) -> Path:
    copy_course(destination, with_tools=True)
    for name in ("README.md", ".gitignore"):
        shutil.copy(ROOT / name, destination / name)
    return destination


def test_release_refuses_a_kata_that_is_not_its_untouched_stub(tmp_path):
    course = full_course(tmp_path / "course")
    shutil.copy(course / "solutions/02_tokenizer_generate.py", course / "katas/02_tokenizer_generate.py")
    with pytest.raises(ReleaseRefused, match=r"kata tokenizer_generate: katas/02_tokenizer_generate.py differs"):
        release(course, tmp_path / "out")
    assert not (tmp_path / "out").exists(), "a refused release wrote files"


def test_release_refuses_a_stub_whose_pristine_copy_is_the_solution_too(tmp_path):
    course = full_course(tmp_path / "course")
    for folder in ("katas", "katakit/pristine"):  # solved, then snapshotted: the two copies agree
        shutil.copy(course / "solutions/01_pipeline.py", course / folder / "01_pipeline.py")
    with pytest.raises(ReleaseRefused, match="kata pipeline: .* holds the solution of build_generator"):
        release(course, tmp_path / "out")


def test_release_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(ReleaseRefused, match="not an empty folder"):
        release(ROOT, tmp_path)
    assert files_of(tmp_path) == ["notes.txt"]


def test_katas_release_prints_what_it_wrote_and_what_it_left_out_then_the_next_step(tmp_path, capsys):
    course = full_course(tmp_path / "course")
    (course / "katas/scratch.py").write_text("# the instructor's own experiment\n")
    assert katas(["--root", str(course), "release", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out
    katas_released = load_course(course).katas
    tasks = sum(len(kata.tasks) for kata in katas_released)
    assert f"katas/ ({len(katas_released) + 1} files)" in printed, printed
    assert f"{WORKFLOW_PATH}: autogrades {tasks} tasks" in printed, printed
    assert "left out: katas/scratch.py" in printed and not (tmp_path / "out/katas/scratch.py").exists()
    assert f"Next: cd {tmp_path / 'out'} && git init" in printed
    with pytest.raises(SystemExit, match="katas release: nothing written: .* is not an empty folder"):
        katas(["--root", str(course), "release", str(tmp_path / "out")])


def test_the_released_course_runs_on_its_own(released, tmp_path):
    course = load_course(released)
    report = tmp_path / "report.json"
    env = learner_env(KATAS_HYPOTHESIS_PROFILE="dev")
    # The copy's own tools, not those of the course this test runs in (installed in the venv, maybe editable).
    tools_used = subprocess.run(
        [sys.executable, "-c", "import katakit; print(katakit.__file__)"],
        cwd=released,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout.strip()
    assert Path(tools_used).resolve().is_relative_to(released.resolve()), tools_used
    run = subprocess.run(
        [sys.executable, "-m", "pytest", f"--katas-report={report}"],
        cwd=released,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "your progress" in run.stdout and "Traceback" not in run.stdout, run.stdout
    assert "--solutions" not in run.stdout, "the student copy's pytest points at solutions it does not have"
    results = json.loads(report.read_text())["results"]
    assert {result["kata"] for result in results} == {kata.name for kata in course.katas}
    assert {result["outcome"] for result in results} == {"not started"}, run.stdout
    # `katas list` runs the whole course again: one kata is enough to show the copy's own tools run it.
    first = course.katas[0]
    tools = subprocess.run(
        [sys.executable, "-m", "katakit.cli", "list"],
        cwd=released,
        capture_output=True,
        text=True,
        timeout=600,
        env=learner_env(KATAS_HYPOTHESIS_PROFILE="dev", PYTEST_ADDOPTS=first.test_file),
    )
    assert tools.returncode == 0, tools.stdout + tools.stderr
    assert any(
        line.startswith(f" 1. {first.name} ") and " not started " in line for line in tools.stdout.splitlines()
    ), tools.stdout


def test_pytest_solutions_in_the_student_copy_says_it_has_none(released):
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "--solutions"],
        cwd=released,
        env=learner_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == pytest.ExitCode.USAGE_ERROR, run.stdout + run.stderr
    assert "this copy of the course has no solutions/ folder" in run.stderr


def workflow_of(course_root: Path) -> dict:
    data = yaml.safe_load(workflow_text(load_course(course_root)))
    assert isinstance(data, dict) and "on" in data, "`on:` must stay a string key (YAML 1.1 reads a bare on as True)"
    return data


def test_the_workflow_grades_every_task_of_the_manifest_for_its_points(released, tmp_path):
    assert (released / WORKFLOW_PATH).read_text() == workflow_text(load_course(ROOT))
    # Points that differ from task to task, so that a step worth the wrong task's points shows.
    (tmp_path / "katas").mkdir()
    manifest = (ROOT / "katas/katas.toml").read_text()
    assert "number = 2\n" in manifest
    (tmp_path / "katas/katas.toml").write_text(manifest.replace("number = 2\n", "number = 2\npoints = 3\n", 1))
    course = load_course(tmp_path)
    steps = workflow_of(tmp_path)["jobs"]["run-autograding-tests"]["steps"]
    graders = [step for step in steps if step.get("uses") == GRADER]
    tasks = [(kata, task) for kata in course.katas for task in kata.tasks]
    assert len(graders) == len(tasks)
    assert [task.points for _, task in tasks][:3] == [1, 3, 1]
    for step, (kata, task) in zip(graders, tasks, strict=True):
        settings = step["with"]
        assert settings["command"] == f"katas grade . --out .katas/classroom --task {kata.name}:{task.number}"
        assert settings["max-score"] == task.points, step
        assert isinstance(settings["timeout"], int) and settings["timeout"] > 0
        assert task.title in settings["test-name"]
    setup = graders[0]["with"]["setup-command"]
    assert "torch==2.13.0" in setup and "https://download.pytorch.org/whl/cpu" in setup and "install -e ." in setup
    assert all("setup-command" not in step["with"] for step in graders[1:]), "only the first step installs"
    ids = [step["id"] for step in graders]
    assert len(set(ids)) == len(ids)
    reporter = steps[-1]
    assert reporter["uses"] == REPORTER
    assert reporter["with"]["runners"].split(",") == ids
    assert reporter["env"] == {f"{id.upper()}_RESULTS": f"${{{{steps.{id}.outputs.result}}}}" for id in ids}


ACTIONS = json.loads((Path(__file__).parent / "data" / "classroom_actions.json").read_text())


def test_the_workflow_gives_each_action_only_inputs_it_declares_and_every_one_it_requires():
    data = workflow_of(ROOT)
    assert set(data["on"]) == {"push", "workflow_dispatch", "repository_dispatch"}
    assert all(settings is None for settings in data["on"].values()), "events with no settings, as a mapping"
    steps = data["jobs"]["run-autograding-tests"]["steps"]
    for action in (GRADER, REPORTER):
        declared = ACTIONS[action]["inputs"]
        for step in (step for step in steps if step.get("uses") == action):
            given = step.get("with", {})
            assert set(given) <= set(declared), f"{step['name']}: {sorted(set(given) - set(declared))} undeclared"
            missing = [name for name, spec in declared.items() if spec["required"] and name not in given]
            assert not missing, f"{step['name']} lacks the required {missing}"
            for name, spec in declared.items():
                if "pattern" in spec and name in given:
                    assert re.fullmatch(spec["pattern"], given[name]), f"{step['name']}: {name}={given[name]!r}"
    ids = [step["id"] for step in steps if step.get("uses") == GRADER]
    assert all(re.fullmatch("[A-Za-z0-9]+", id) for id in ids), ids
    outputs = ACTIONS[GRADER]["outputs"]
    reporter = steps[-1]
    assert all(value.split(".")[-1].rstrip("}") in outputs for value in reporter["env"].values()), reporter["env"]
