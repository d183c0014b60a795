"""An error raised inside transformers by a kata's call shows the kata's line and the error, not library frames."""

from __future__ import annotations

import shutil
import subprocess
import sys

from course_runs import learner_env
from test_plugin import KATA_TESTS, ROOT


def test_an_error_inside_the_library_points_at_the_katas_line(tmp_path):
    katas = tmp_path / "katas"
    shutil.copytree(ROOT / "solutions", katas, ignore=shutil.ignore_patterns("__pycache__"))
    kata_file = katas / "01_pipeline.py"
    source = kata_file.read_text()
    assert 'pipeline("text-generation", model=model_dir)' in source, "solutions/01_pipeline.py changed"
    kata_file.write_text(
        source.replace('pipeline("text-generation", model=model_dir)', 'pipeline("text-gen", model=model_dir)')
    )
    env = learner_env()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            f"--katas-dir={katas}",
            "-k",
            "build_generator",
            KATA_TESTS,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    line = source[: source.index('pipeline("text-generation"')].count("\n") + 1
    assert f'{katas}/01_pipeline.py:{line} in build_generator: return pipeline("text-gen", model=model_dir)' in output
    assert 'KeyError: "Unknown task text-gen' in output, output
    assert "(raised inside the library, called from your code)" in output, output
    assert "site-packages" not in output and "transformers/pipelines" not in output, output
