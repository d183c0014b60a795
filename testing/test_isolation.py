"""A kata that vandalises what it receives, and torch's global state, cannot change any other test's outcome.

Two kata functions are replaced by wrappers that return the solution's answer, then change every object they
were handed (tokenizer padding side and vocabulary, model mode, weights, generation config, a pipeline's parts)
and torch's process-wide settings. Every other test of the run must still pass, as it does on the solutions.
"""

from __future__ import annotations

import json
import shutil

import pytest
from test_plugin import ROOT, PytestRun

KATA_TESTS = [
    "tests/test_01_pipeline.py",
    "tests/test_02_tokenizer_generate.py",
    "tests/test_05_logits.py",
    "tests/test_06_generation.py",
]
VANDALISED = {"01_pipeline.py": "continue_text", "02_tokenizer_generate.py": "generate_text"}
VANDAL = """

def _vandalise(value):
    import torch

    for part in (value, getattr(value, "tokenizer", None), getattr(value, "model", None)):
        if hasattr(part, "add_tokens"):  # a tokenizer
            part.padding_side = "left" if part.padding_side == "right" else "right"
            part.truncation_side = "left"
            part.add_tokens(["<vandal>"])
            part.add_special_tokens({"pad_token": "<vandal-pad>"})
        if isinstance(part, torch.nn.Module):
            part.train()
            with torch.no_grad():
                for parameter in part.parameters():
                    parameter.add_(0.5)
            part.generation_config.do_sample = True
            part.generation_config.max_new_tokens = 1
            part.config.output_hidden_states = True


def _vandal_of(solution):
    def vandal(*args, **kwargs):
        import torch

        answer = solution(*args, **kwargs)
        for value in (*args, *kwargs.values()):
            _vandalise(value)
        torch.set_grad_enabled(False)
        torch.manual_seed(12345)
        torch.set_num_threads(1)
        torch.set_default_dtype(torch.float64)
        return answer

    return vandal


{function} = _vandal_of({function})
"""


@pytest.fixture(scope="module")
def vandal_report(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("isolation")
    katas = tmp / "katas"
    shutil.copytree(ROOT / "solutions", katas, ignore=shutil.ignore_patterns("__pycache__"))
    for file, function in VANDALISED.items():
        kata_file = katas / file
        assert f"def {function}(" in kata_file.read_text(), f"solutions/{file} changed: update this test"
        kata_file.write_text(kata_file.read_text() + VANDAL.replace("{function}", function))
    run = PytestRun("--katas-dir", str(katas), "--katas-report", str(tmp / "report.json"), *KATA_TESTS)
    run.returncode  # noqa: B018  (waits for the run)
    yield run, json.loads((tmp / "report.json").read_text())
    run.stop()


def calls_a_vandal(result) -> bool:
    # The tests of a vandalised function name it; its own later examples may see what it vandalised.
    return any(function in result["nodeid"] for function in VANDALISED.values())


def test_the_vandal_functions_ran(vandal_report):
    run, report = vandal_report
    called = [result for result in report["results"] if calls_a_vandal(result)]
    assert called, run.output


def test_every_other_test_passes_as_on_the_solutions(vandal_report):
    run, report = vandal_report
    others = [result for result in report["results"] if not calls_a_vandal(result)]
    assert len(others) > 20, run.output
    failed = [f"{result['nodeid']}: {result['message']}" for result in others if result["outcome"] != "passed"]
    assert not failed, "\n".join(failed)


WRITES_INTO_ITS_FOLDER = """

_load_encoder = load_encoder


def load_encoder(model_dir):
    import pathlib

    (pathlib.Path(model_dir) / "config.json").write_text("{}")  # overwrites the folder's own config
    (pathlib.Path(model_dir) / "notes.txt").write_text("mine")
    return _load_encoder(model_dir)
"""


def test_a_kata_that_writes_into_its_model_folder_fails_its_own_tests_only(tmp_path):
    from katakit.zoo.cache import MANIFEST, cache_root, is_intact

    katas = tmp_path / "katas"
    shutil.copytree(ROOT / "solutions", katas, ignore=shutil.ignore_patterns("__pycache__"))
    kata_file = katas / "03_automodel_features.py"
    kata_file.write_text(kata_file.read_text() + WRITES_INTO_ITS_FOLDER)
    # Kata 7 loads the same encoder folder after kata 3 has run.
    run = PytestRun(
        "--katas-dir",
        str(katas),
        "--katas-report",
        str(tmp_path / "report.json"),
        "tests/test_03_automodel_features.py",
        "tests/test_07_embeddings.py",
    )
    assert run.returncode == 1, run.output
    results = json.loads((tmp_path / "report.json").read_text())["results"]
    failed = [r for r in results if r["outcome"] != "passed"]
    assert failed and all("load_encoder" in r["nodeid"] for r in failed), run.output
    for result in failed:
        assert result["message"].startswith(
            "The code of kata automodel_features (task 1) changed the zoo's model folder bert-"
        ), result["message"]
        assert "config.json rewritten; notes.txt added" in result["message"], result["message"]
    assert any(r["nodeid"].startswith("tests/test_07") and r["outcome"] == "passed" for r in results)
    for folder in cache_root().glob("bert-*"):  # put back byte for byte, as the cache recorded it
        assert is_intact(folder, json.loads((folder / MANIFEST).read_text())["key"]), f"{folder.name} changed"


def test_a_model_folder_written_back_as_built_is_no_change_and_another_change_is(tmp_path, monkeypatch):
    """In a split run (katakit.runner.split) one worker puts back a folder a kata wrote into: the other workers see
    new file times on the same bytes, which no test of theirs did."""
    import os

    from katakit import model_folders

    monkeypatch.setattr(model_folders, "_kept", {})
    monkeypatch.setattr(model_folders, "_looks", {})
    folder = tmp_path / "model"
    folder.mkdir()
    config = folder / "config.json"
    config.write_text('{"hidden_size": 32}')
    model_folders.keep(folder)
    config.write_text('{"hidden_size": 32}')
    os.utime(config, ns=(0, config.stat().st_mtime_ns + 10**9))
    assert model_folders.put_back_changed() == []
    config.write_text('{"hidden_size": 64}')
    assert model_folders.put_back_changed() == ["model (config.json rewritten)"]
    assert config.read_text() == '{"hidden_size": 32}'
