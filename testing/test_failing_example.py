"""A property that fails shows its failing example small and readable: the drawn inputs by name, no fixtures, no
dumps of models."""

from __future__ import annotations

import shutil
import subprocess
import sys

from course_runs import learner_env
from test_plugin import KATA_TESTS, ROOT

GREEDY = "do_sample=False, max_new_tokens=max_new_tokens, return_full_text=False"


def test_the_failing_example_names_the_inputs_and_no_model_is_dumped(tmp_path):
    katas = tmp_path / "katas"
    shutil.copytree(ROOT / "solutions", katas, ignore=shutil.ignore_patterns("__pycache__"))
    kata_file = katas / "01_pipeline.py"
    source = kata_file.read_text()
    assert GREEDY in source, "solutions/01_pipeline.py changed: update this test"
    kata_file.write_text(source.replace(GREEDY, "max_new_tokens=max_new_tokens, return_full_text=False"))  # samples
    env = learner_env()
    selected = "gpt2 and continue_text_equals_greedy_generate_without"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", f"--katas-dir={katas}", "-k", selected, KATA_TESTS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    example = next(line for line in output.splitlines() if line.startswith("Example: "))
    assert "prompt=" in example and "max_new_tokens=" in example, output
    assert "causal_lm_reference=" not in output and "kata=" not in output, output
    assert "GPT2Model(" not in output and "Embedding(" not in output, output
    assert "Flaky" not in output, output  # torch is seeded per example: sampling fails the same way every time
