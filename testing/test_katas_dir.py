"""`pytest --katas-dir=PATH`, PATH anywhere, from the course root with no test paths: the course's run on PATH."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_katas_dir_outside_the_course_runs_the_course_tests_on_it(tmp_path):
    elsewhere = tmp_path / "student"
    shutil.copytree(ROOT / "solutions", elsewhere)
    env = {**os.environ, "PY_COLORS": "0"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", f"--katas-dir={elsewhere}", "-k", "build_generator"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"katas: testing {elsewhere}/" in result.stdout
    assert re.search(r"\b[1-9][0-9]* passed", result.stdout) and "failed" not in result.stdout, result.stdout
