"""`katas grade --shard K/N`, `--merge` and `--workflow`: a class graded on three "runners" and merged holds exactly
the records of one run on one machine; the merge refuses shards that do not compare; the generated workflow."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml  # PyYAML comes with transformers; the course itself writes the workflow without it
from course_runs import ROOT
from grading_cases import PIPELINE, Case, continue_text_doing, solution, stub

from katakit.cli import main
from katakit.grading.command import GradeOptions, grade
from katakit.grading.sandbox import Limits
from katakit.grading.shards import MergeError, in_shard, merge, parse_shard, shard_of
from katakit.grading.workflow import (
    CHECKOUT,
    DOWNLOAD,
    MERGE_SCRIPT,
    SETTINGS_SCRIPT,
    SETUP_PYTHON,
    UPLOAD,
    workflow_text,
)
from katakit.manifest import load_course

COURSE = load_course(ROOT)
SEED, PROFILE, KATAS = 3, "dev", ("pipeline",)
SHARDS = 3


def mutant(name: str) -> str:
    return solution(PIPELINE) + "\n\n" + (ROOT / "mutants" / "pipeline" / name).read_text()


# One kata, five students: ada and eve in shard 3/3, bo in 2/3, cy and di in 1/3 (test_shards_are_pinned).
CLASS = [
    Case("ada", {PIPELINE: solution(PIPELINE)}, set()),
    Case("bo", {PIPELINE: stub(PIPELINE)}, set(), form="katas"),
    Case("cy", {PIPELINE: mutant("2_prompt_kept.py")}, set()),
    Case("di", {PIPELINE: mutant("3_joined_with_a_space.py")}, set()),
    Case("eve", {PIPELINE: continue_text_doing("return prompt", base="stub")}, set(), form="zip"),  # quick: a stub
]
TIMING = ("graded_at",)


def options(out: Path, **changes) -> GradeOptions:
    return GradeOptions(
        out=out, jobs=2, seed=SEED, profile=PROFILE, katas=KATAS, limits=Limits(stall_seconds=20), **changes
    )


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The class graded whole, then as three shards (each reading every submission), then merged."""
    folder = tmp_path_factory.mktemp("submissions")
    paths = [case.write(folder) for case in CLASS]
    root = tmp_path_factory.mktemp("grading")
    whole = grade(COURSE, paths, options(root / "whole"), say=lambda line: None)
    shards, said = [], []
    for index in range(1, SHARDS + 1):
        out = root / f"shard-{index}"
        shutil.copytree(root / "whole" / ".zoo", out / ".zoo")  # the models of the seed, built once
        grade(COURSE, paths, options(out, shard=(index, SHARDS)), say=said.append)
        shards.append(out)
    merged = merge(root / "merged", shards, say=said.append)
    return {"root": root, "paths": paths, "whole": whole, "shards": shards, "merged": merged, "said": said}


def without_timing(record: dict) -> dict:
    return {
        **{key: value for key, value in record.items() if key not in TIMING},
        "tests": [{key: value for key, value in test.items() if key != "duration"} for test in record["tests"]],
    }


def test_the_merged_shards_hold_exactly_the_records_of_one_whole_run(graded):
    assert [without_timing(r) for r in graded["merged"]] == [without_timing(r) for r in graded["whole"]]
    whole, merged = graded["root"] / "whole", graded["root"] / "merged"
    assert (merged / "grades.csv").read_text() == (whole / "grades.csv").read_text()
    assert (merged / "summary.md").read_text() == (whole / "summary.md").read_text()
    assert sorted(p.name for p in (merged / "junit").iterdir()) == sorted(p.name for p in (whole / "junit").iterdir())
    points = {record["student"]: record["points"] for record in graded["merged"]}
    assert points["ada"] == 3 and points["bo"] == 0 and 0 < points["cy"] < 3 and 0 < points["di"] < 3, points


def test_each_submission_is_graded_in_exactly_one_shard_and_every_shard_reads_them_all(graded):
    students = {case.name for case in CLASS}
    seen = []
    for index, out in enumerate(graded["shards"], start=1):
        settings = json.loads((out / "grading.json").read_text())
        assert settings["shard"] == f"{index}/{SHARDS}" and settings["submissions"] == sorted(students)
        assert settings["seed"] == SEED and settings["course_version"] == graded["whole"][0]["course_version"]
        mine = sorted(path.stem for path in (out / "results").glob("*.json"))
        assert mine == sorted(s for s in students if shard_of(s, SHARDS) == index)
        seen += mine
    assert sorted(seen) == sorted(students)
    assert any("5 submission(s), 1 in shard 2/3, 1 to grade" in line for line in graded["said"]), graded["said"]


def test_the_merged_folder_records_its_shards_and_keeps_the_seed_for_a_later_grading_run(graded):
    settings = json.loads((graded["root"] / "merged" / "grading.json").read_text())
    assert [entry["shard"] for entry in settings["merged"]] == ["1/3", "2/3", "3/3"]
    assert (settings["seed"], settings["profile"], settings["katas"]) == (SEED, PROFILE, list(KATAS))
    assert settings["missing_shards"] == [] and settings["shard"] is None


def test_shards_are_pinned_by_a_sha256_of_the_name_and_split_a_class_evenly():
    # Python's hash() of a string changes from process to process; these may never change.
    assert [shard_of(name, 3) for name in ("ada", "bo", "cy", "di", "eve")] == [3, 2, 1, 1, 3]
    assert shard_of("alice", 4) == shard_of("alice", 4) and shard_of("x", 1) == 1
    names = [f"student-{n}" for n in range(1200)]
    for count in (2, 4, 7):
        owners = [[k for k in range(1, count + 1) if in_shard(name, (k, count))] for name in names]
        assert all(len(owner) == 1 for owner in owners)
        sizes = [sum(owner == [k] for owner in owners) for k in range(1, count + 1)]
        assert max(sizes) < 1.3 * len(names) / count < 1.3 * 1.3 * min(sizes), sizes


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ("0/3", "K counts the shards from 1 to N, here 1/3 to 3/3"),
        ("4/3", "K counts the shards from 1 to N"),
        ("3", "is not K/N: write the shard's number, a slash and the number of shards"),
        ("one/3", "is not K/N"),
        ("-1/3", "is not K/N"),
        ("1/0", "N, the number of shards, is 1 or more"),
    ],
)
def test_a_bad_shard_is_refused_and_explained(tmp_path, capsys, given, says):
    with pytest.raises(ValueError):
        parse_shard(given)
    with pytest.raises(SystemExit) as stopped:
        main(["--root", str(ROOT), "grade", str(tmp_path), "--out", str(tmp_path / "out"), f"--shard={given}"])
    assert stopped.value.code == 2
    assert says in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_shard_and_task_together_are_refused(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["--root", str(ROOT), "grade", str(tmp_path), "--out", str(tmp_path), "--shard=1/2", "--task=pipeline:1"])
    assert "not both" in capsys.readouterr().err


@pytest.fixture
def shard_copies(graded, tmp_path):
    """Copies of the three shards' folders, to spoil."""
    copies = []
    for out in graded["shards"]:
        copy = tmp_path / out.name
        shutil.copytree(out, copy, ignore=shutil.ignore_patterns(".*"))
        copies.append(copy)
    return copies


def edit(folder: Path, **changes) -> None:
    """Change the settings of `folder` and of every record in it, as another grading run would have set them."""
    for path in [folder / "grading.json", *(folder / "results").glob("*.json")]:
        path.write_text(json.dumps(json.loads(path.read_text()) | changes))


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"seed": SEED + 1}, f"seeds differ: {SEED} in"),
        ({"profile": "grade"}, "hypothesis profiles differ: dev in"),
        ({"katas": ["pipeline", "tokenizers"]}, "kata selections differ: pipeline in"),
        ({"course_version": "0.1.0+0123456789abcdef"}, "course versions differ:"),
    ],
)
def test_merge_refuses_shards_graded_differently_and_names_the_folder(shard_copies, tmp_path, change, says):
    edit(shard_copies[1], **change)
    with pytest.raises(MergeError, match="not graded alike") as refused:
        merge(tmp_path / "out", shard_copies)
    assert says in str(refused.value) and f"{shown(change)} in {shard_copies[1]}" in str(refused.value)
    assert not (tmp_path / "out").exists()


def shown(change: dict) -> str:
    value = next(iter(change.values()))
    return ",".join(value) if isinstance(value, list) else str(value)


def test_merge_refuses_one_result_left_from_another_grading_run(shard_copies, tmp_path):
    path = next((shard_copies[0] / "results").glob("*.json"))
    path.write_text(json.dumps(json.loads(path.read_text()) | {"seed": 99}))
    with pytest.raises(MergeError, match=f"seeds differ: {SEED} in .*; 99 in {re.escape(str(path))}"):
        merge(tmp_path / "out", shard_copies)


def test_merge_refuses_a_student_in_two_shards(shard_copies, tmp_path):
    ada = shard_copies[2] / "results" / "ada.json"
    shutil.copy(ada, shard_copies[0] / "results" / "ada.json")
    with pytest.raises(MergeError, match=f"more than one folder: ada in {re.escape(str(shard_copies[0]))}, "):
        merge(tmp_path / "out", shard_copies)


def test_merge_refuses_a_shard_given_twice_or_of_another_set(shard_copies, tmp_path):
    with pytest.raises(MergeError, match="shard 1/3 given twice"):
        merge(tmp_path / "out", [shard_copies[0], shard_copies[0], *shard_copies[1:]])
    edit(shard_copies[1], shard="2/4")
    with pytest.raises(MergeError, match="shards of different K/N sets: 1/3 in .*, 2/4 in"):
        merge(tmp_path / "out", shard_copies)


def test_merge_refuses_shards_that_read_different_classes(shard_copies, tmp_path):
    settings = json.loads((shard_copies[2] / "grading.json").read_text())
    edit(shard_copies[2], submissions=[name for name in settings["submissions"] if name != "bo"])
    with pytest.raises(
        MergeError, match=f"read different submissions .*{re.escape(str(shard_copies[2]))} read 4, not bo"
    ):
        merge(tmp_path / "out", shard_copies)


def test_a_missing_shard_is_refused_unless_allowed_and_then_said(shard_copies, tmp_path, capsys):
    first_and_last = [shard_copies[0], shard_copies[2]]
    with pytest.raises(MergeError, match=r"shard\(s\) 2/3 missing: 1 student\(s\) would have no grade \(bo\)"):
        merge(tmp_path / "out", first_and_last)
    with pytest.raises(SystemExit, match="nothing merged: shard"):
        main(["--root", str(ROOT), "grade", "--merge", "--out", str(tmp_path / "out"), *map(str, first_and_last)])
    said = []
    records = merge(tmp_path / "out", first_and_last, allow_missing=True, say=said.append)
    assert sorted(record["student"] for record in records) == ["ada", "cy", "di", "eve"]
    assert "WARNING: shard(s) 2/3 missing" in said[0]
    assert json.loads((tmp_path / "out" / "grading.json").read_text())["missing_shards"] == ["2/3"]


def test_the_merge_command_writes_the_class_and_refuses_an_out_folder_in_use(shard_copies, tmp_path, capsys):
    out = tmp_path / "merged"
    assert main(["--root", str(ROOT), "grade", "--merge", "--out", str(out), *map(str, shard_copies)]) == 0
    assert "# Class summary: 5 students" in capsys.readouterr().out
    with pytest.raises(SystemExit, match="nothing merged: .* is not a new or empty folder"):
        main(["--root", str(ROOT), "grade", "--merge", "--out", str(out), *map(str, shard_copies)])
    with pytest.raises(SystemExit):
        main(["--root", str(ROOT), "grade", "--merge", "--seed=1", "--out", str(tmp_path / "x"), str(out)])
    assert "--merge does not take --seed" in capsys.readouterr().err


def test_merge_refuses_a_folder_that_katas_grade_did_not_write(tmp_path):
    (tmp_path / "notes").mkdir()
    with pytest.raises(MergeError, match=f"{re.escape(str(tmp_path / 'notes'))} has no readable grading.json"):
        merge(tmp_path / "out", [tmp_path / "notes"])


# The workflow


def workflow(shards: int = 3, **kwargs) -> dict:
    data = yaml.safe_load(workflow_text(shards, **kwargs))
    assert isinstance(data, dict) and "on" in data, "`on:` must stay a string key (YAML 1.1 reads a bare on as True)"
    return data


def run_script(script: str, tmp_path: Path, **env: str) -> tuple[subprocess.CompletedProcess, dict[str, str]]:
    output = tmp_path / "output"
    output.write_text("")
    run = subprocess.run(
        ["bash", "-c", script],
        env={**os.environ, **env, "GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(tmp_path / "summary")},
        capture_output=True,
        text=True,
    )
    return run, dict(line.split("=", 1) for line in output.read_text().splitlines())


def test_the_workflow_grades_n_shards_with_one_seed_then_merges_them(tmp_path):
    data = workflow(3, profile="dev", katas=("pipeline",))
    inputs = data["on"]["workflow_dispatch"]["inputs"]
    assert inputs["shards"]["default"] == 3 and inputs["assignment"]["required"] and not inputs["seed"]["required"]
    settings, grading, merging = (data["jobs"][name] for name in ("settings", "grade", "merge"))
    assert grading["needs"] == "settings" and set(merging["needs"]) == {"settings", "grade"}
    assert grading["strategy"]["matrix"]["shard"] == "${{ fromJSON(needs.settings.outputs.shards) }}"
    assert settings["steps"][0]["run"] == SETTINGS_SCRIPT and merging["steps"][-2]["run"] == MERGE_SCRIPT
    # The settings job, run here: the matrix gets shards 1 to N, every shard the one seed chosen.
    run, outputs = run_script(SETTINGS_SCRIPT, tmp_path, SHARDS="3", SEED="", ASSIGNMENT="42")
    assert run.returncode == 0, run.stderr
    assert json.loads(outputs["shards"]) == [1, 2, 3] and outputs["count"] == "3" and outputs["seed"].isdigit()
    assert run_script(SETTINGS_SCRIPT, tmp_path, SHARDS="2", SEED="17", ASSIGNMENT="42")[1]["seed"] == "17"
    for shards, seed in (("0", ""), ("257", ""), ("2.5", ""), ("2", "x1")):
        assert run_script(SETTINGS_SCRIPT, tmp_path, SHARDS=shards, SEED=seed, ASSIGNMENT="42")[0].returncode != 0
    step = next(step for step in grading["steps"] if "katas grade" in step.get("run", ""))
    assert step["env"]["SEED"] == "${{ needs.settings.outputs.seed }}"
    assert (
        step["env"]["SHARD"] == "${{ matrix.shard }}" and step["env"]["SHARDS"] == "${{ needs.settings.outputs.count }}"
    )
    command = next(line for line in step["run"].splitlines() if line.startswith("katas grade"))
    assert '--shard "$SHARD/$SHARDS" --seed "$SEED" --profile dev --kata pipeline' in command
    runs = " ".join(step.get("run", "") for step in grading["steps"])
    assert "torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu && python -m pip install -e ." in runs
    assert (
        "gh extension install github/gh-classroom" in runs
        and 'gh classroom clone student-repos -a "$ASSIGNMENT"' in runs
    )
    python = next(step for step in grading["steps"] if step.get("uses") == SETUP_PYTHON)
    assert python["with"]["python-version"] == "3.11"


def test_the_merge_step_finds_every_shards_folder_however_the_artifacts_were_laid_out(tmp_path):
    """download-artifact puts each artifact in a folder of its name, but a lone one in the folder itself."""
    script = MERGE_SCRIPT.replace("katas grade", "echo katas grade").replace(
        'cat grading/summary.md >> "$GITHUB_STEP_SUMMARY"', ""
    )
    for layout in (["shards/grading-shard-1", "shards/grading-shard-2"], ["shards"]):
        for folder in layout:
            (tmp_path / folder).mkdir(parents=True, exist_ok=True)
            (tmp_path / folder / "grading.json").write_text("{}")
        run = subprocess.run(["bash", "-c", script], cwd=tmp_path, capture_output=True, text=True)
        assert run.stdout.split() == ["katas", "grade", "--merge", "--out", "grading", *layout], run.stderr
        shutil.rmtree(tmp_path / "shards")


ACTIONS = json.loads((Path(__file__).parent / "data" / "grading_actions.json").read_text())


def test_the_workflow_gives_each_action_only_inputs_it_declares_on_a_runtime_github_still_runs():
    steps = [step for job in workflow()["jobs"].values() for step in job["steps"] if "uses" in step]
    assert {step["uses"] for step in steps} == {CHECKOUT, SETUP_PYTHON, UPLOAD, DOWNLOAD}
    for step in steps:
        action = ACTIONS[step["uses"]]
        assert action["runs"] == "node24", f"{step['uses']} runs on {action['runs']}, which GitHub's runners dropped"
        given, declared = step.get("with", {}), action["inputs"]
        assert set(given) <= set(declared), f"{step['name']}: {sorted(set(given) - set(declared))} undeclared"
        assert all(name in given for name, spec in declared.items() if spec["required"]), step


@pytest.mark.skipif(shutil.which("actionlint") is None, reason="actionlint is not installed")
def test_actionlint_finds_nothing_in_the_workflow(tmp_path):
    path = tmp_path / "grade.yml"
    path.write_text(workflow_text(4, profile="ci", katas=("pipeline", "tokenizers")))
    run = subprocess.run(["actionlint", "-no-color", str(path)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_workflow_command_prints_or_writes_it_and_refuses_what_it_cannot_use(tmp_path, capsys):
    assert main(["--root", str(ROOT), "grade", "--workflow"]) == 0
    assert yaml.safe_load(capsys.readouterr().out)["on"]["workflow_dispatch"]["inputs"]["shards"]["default"] == 4
    path = tmp_path / ".github" / "workflows" / "grade.yml"
    assert main(["--root", str(ROOT), "grade", "--workflow", "6", "--out", str(path)]) == 0
    assert path.read_text() == workflow_text(6)
    for refused, says in (
        (["--workflow", "2", "--shard=1/2"], "--workflow does not take --shard"),
        (["--workflow", "0"], "N is the number of runners, 1 to 256, not 0"),
        (["--workflow", "--kata", "nope"], "no kata named nope"),
        (["--workflow", "2", str(tmp_path)], "--workflow takes no submissions"),
    ):
        with pytest.raises(SystemExit):
            main(["--root", str(ROOT), "grade", *refused])
        assert says in capsys.readouterr().err
