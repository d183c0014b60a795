"""An environment that cannot run the course gets one line, before any test and never as kata progress: a
requirement missing or outside its range (with the pip command that fixes it), or another Python than the
course's (katakit/startup.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from course_runs import copy_course, learner_env

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
    run = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider"], cwd=course, env=learner_env(),
                         capture_output=True, text=True, timeout=120)
    output = (run.stdout + run.stderr).strip()
    assert run.returncode == 4, output
    assert output.splitlines() == [f"ERROR: {environment_problem(Path(course))}"], output
