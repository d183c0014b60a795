"""An environment that cannot run the course gets one line, before any test and never as kata progress: a
requirement missing or outside its range (with the pip command that fixes it), or another Python than the
course's (katakit/startup.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from course_runs import ROOT, copy_course, learner_env

from katakit.startup import environment_problem, requirement_problem

REQUIREMENTS = ["torch>=2.4", "transformers>=5.18,<6", "pytest-timeout>=2.3.1", 'ruff>=0.6; extra == "dev"']
FINE = {"torch": "2.13.0", "transformers": "5.25.0", "pytest-timeout": "2.4.0", "ruff": None}


def test_a_version_outside_the_range_names_both_and_the_pip_command_that_fixes_it():
    problem = requirement_problem(REQUIREMENTS, {**FINE, "transformers": "4.57.1"})
    assert problem.startswith("katas: transformers 4.57.1 is installed; the course needs transformers")
    assert "pip install 'transformers<6,>=5.18'" in problem and "\n" not in problem


def test_a_missing_requirement_names_this_python_and_torch_gets_its_cpu_build():
    problem = requirement_problem(REQUIREMENTS, {**FINE, "torch": None})
    assert f"torch is not installed in this Python ({sys.executable})" in problem
    assert "--index-url https://download.pytorch.org/whl/cpu" in problem
    assert "pytest-timeout is not installed" in requirement_problem(REQUIREMENTS, {**FINE, "pytest-timeout": None})


def test_an_environment_that_has_everything_has_no_problem_and_extras_are_not_required():
    assert requirement_problem(REQUIREMENTS, FINE) is None
    assert environment_problem() is None  # this very Python runs the suite


def test_a_course_that_needs_what_this_python_lacks_says_so_in_one_line_and_runs_no_test(tmp_path):
    course = copy_course(tmp_path, with_tools=True)
    pyproject = course / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"pytest>=8.4"', '"pytest>=99"', 1))
    assert environment_problem(course).startswith("katas: pytest ")
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider"],
        cwd=course,
        env=learner_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = (run.stdout + run.stderr).strip()
    assert run.returncode == 4, output
    assert output.splitlines() == [f"ERROR: {environment_problem(Path(course))}"], output


def test_a_cache_folder_the_zoo_cannot_be_built_in_is_one_line_before_any_test(tmp_path):
    in_place = tmp_path / "a-file"
    in_place.write_text("not a folder")
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "tests/test_12_image_classification.py"]
    run = subprocess.run(
        command, cwd=ROOT, env=learner_env(KATAS_CACHE_DIR=str(in_place)), capture_output=True, text=True, timeout=120
    )
    lines = [line for line in (run.stdout + run.stderr).splitlines() if line.strip()]
    assert run.returncode == 4 and lines[-1].startswith(f"ERROR: katas: KATAS_CACHE_DIR={in_place} is a file"), lines
    assert not any("not started" in line or "Traceback" in line for line in lines), lines


def test_an_unwritable_or_full_cache_folder_names_the_variable_the_folder_and_the_space_needed(tmp_path, monkeypatch):
    import shutil as shell
    import tempfile

    from katakit.zoo import zoo_problem

    monkeypatch.setenv("KATAS_CACHE_DIR", str(tmp_path / "cache"))
    assert zoo_problem() is None  # an empty folder that can be written, with room

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    with monkeypatch.context() as patched:
        patched.setattr(tempfile, "mkstemp", refuse)
        problem = zoo_problem()
    assert problem == (
        f"katas: KATAS_CACHE_DIR={tmp_path / 'cache'} cannot be written (Permission denied): the course "
        "builds its models there and needs about 8 MB free in a folder it can write"
    ), problem
    monkeypatch.setattr(shell, "disk_usage", lambda path: shell._ntuple_diskusage(10**9, 10**9 - 2**20, 2**20))
    assert "has 1 MB free" in zoo_problem()


def test_a_zoo_already_built_needs_nothing_of_its_folder(monkeypatch):
    import tempfile

    from katakit.zoo import course_models, model_dir, zoo_problem, zoo_seed

    for name, params in course_models():
        model_dir(name, seed=zoo_seed(), **params)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)  # a read-only cache that holds this seed's zoo is enough
    assert zoo_problem() is None
