"""The library's logs and warnings stay off the learner's screen, unless asked for with --katas-library-output."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from course_runs import learner_env
from test_plugin import KATA_TESTS, ROOT

# What transformers itself would print: a log line through its logger, a warning from one of its modules.
PROBES = """

_build_generator = build_generator


def build_generator(model_dir):
    import warnings

    from transformers.utils import logging

    logging.get_logger("transformers.katas_probe").warning("katas-probe-log")
    warnings.warn_explicit("katas-probe-warning", UserWarning, "probe.py", 1, module="transformers.katas_probe")
    return _build_generator(model_dir)
"""


@pytest.fixture(scope="module")
def probing_katas(tmp_path_factory):
    katas = tmp_path_factory.mktemp("library-output") / "katas"
    shutil.copytree(ROOT / "solutions", katas, ignore=shutil.ignore_patterns("__pycache__"))
    kata_file = katas / "01_pipeline.py"
    kata_file.write_text(kata_file.read_text() + PROBES)
    return katas


def run(katas, *options: str) -> str:
    env = learner_env()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-s",
            f"--katas-dir={katas}",
            "-k",
            "returns_a_text_generation_pipeline",
            *options,
            KATA_TESTS,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def test_the_library_is_quiet_by_default(probing_katas):
    output = run(probing_katas)
    assert "katas-probe-log" not in output and "katas-probe-warning" not in output, output


def test_the_library_speaks_when_the_learner_asks(probing_katas):
    output = run(probing_katas, "--katas-library-output")
    assert "katas-probe-log" in output, output
    assert "katas-probe-warning" in output, output
