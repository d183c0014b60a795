"""`katas grade` on a class of generated submissions: exact points, tampering that earns nothing, and the
outputs (grades.csv, results, JUnit, the class summary). One grading run of the whole class, shared."""

from __future__ import annotations

import csv
import dataclasses
import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile

import pytest
from course_runs import ROOT, learner_env
from grading_cases import (
    GRADED_KATAS,
    PIPELINE,
    TOKENIZERS,
    Case,
    as_notebook,
    cases,
    continue_text_doing,
    solution,
    stub,
)

from katakit.grading.command import GradeOptions, grade
from katakit.grading.sandbox import Limits
from katakit.grading.submissions import read_submission
from katakit.manifest import load_course

COURSE = load_course(ROOT)
CASES = cases()
# Not the learner's zoo (seed 0): what a kata memorised from it must not match. The dev profile and a short
# stall keep the class run to a few minutes; the grading itself is the same as with the defaults.
SEED, PROFILE = 1, "dev"


def expected_points(case: Case) -> float:
    return sum(task.points for kata in COURSE.katas for task in kata.tasks if (kata.name, task.number) in case.solved)


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    folder = tmp_path_factory.mktemp("submissions")
    paths = [case.write(folder) for case in CASES]
    out = tmp_path_factory.mktemp("grading")
    said = []
    options = GradeOptions(
        out=out, jobs=2, seed=SEED, profile=PROFILE, katas=GRADED_KATAS, limits=Limits(stall_seconds=20)
    )
    records = grade(COURSE, paths, options, say=said.append)
    return {"out": out, "paths": paths, "records": {record["student"]: record for record in records}, "said": said}


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_submission_gets_exactly_the_points_of_its_honest_code(graded_class, case):
    record = graded_class["records"][case.name]
    summary = {test["nodeid"].split("::")[-1]: test["outcome"] for test in record["tests"]}
    assert record["points"] == pytest.approx(
        expected_points(case)
        + sum(task["points"] for task in record["tasks"] if (task["kata"], task["task"]) in case.partly)
    ), f"{case.name}: {record['points']} points; tests: {summary}"
    for task in record["tasks"]:
        if (task["kata"], task["task"]) in case.partly:
            assert 0 < task["points"] < task["max_points"], f"{case.name}: {task}"
    assert case.says in json.dumps(record), f"{case.name}'s results should say {case.says!r}: {record['tests']}"


def test_the_seed_and_profile_are_recorded_with_every_result(graded_class):
    for record in graded_class["records"].values():
        assert (record["seed"], record["profile"], record["katas"]) == (SEED, PROFILE, list(GRADED_KATAS))


def test_grades_csv_has_a_row_per_student_with_each_tasks_points(graded_class):
    rows = list(csv.DictReader((graded_class["out"] / "grades.csv").open()))
    assert {row["student"] for row in rows} == {case.name for case in CASES}
    for row in rows:
        record = graded_class["records"][row["student"]]
        tasks = {f"{task['kata']}:{task['task']}": task["points"] for task in record["tasks"]}
        assert float(row["points"]) == record["points"] == pytest.approx(sum(float(row[key]) for key in tasks))
        assert (row["tampering"] == "yes") == bool(record["tampering"])


def test_junit_xml_has_a_case_per_test_and_a_failure_per_failed_test(graded_class):
    for student, record in graded_class["records"].items():
        root = ET.parse(graded_class["out"] / "junit" / f"{student}.xml").getroot()
        cases_in_xml = root.findall(".//testcase")
        assert len(cases_in_xml) == len(record["tests"])
        failed = sum(test["outcome"] != "passed" for test in record["tests"])
        assert len(root.findall(".//testcase/failure")) == failed


def test_the_class_summary_has_each_tasks_pass_rate_and_most_common_failure(graded_class):
    summary = (graded_class["out"] / "summary.md").read_text()
    for kata in GRADED_KATAS:
        for task in COURSE.kata_named(kata).tasks:
            line = next(line for line in summary.splitlines() if line.startswith(f"| {kata} | {task.number} |"))
            solved = sum(
                score["points"] == task.points
                for record in graded_class["records"].values()
                for score in record["tasks"]
                if (score["kata"], score["task"]) == (kata, task.number)
            )
            assert f"{solved}/{len(CASES)}" in line, line
    assert "not started: `build_generator`" in summary  # the most common failure of pipeline's task 1
    assert "Tampering detected" in summary and "patches-pytest" in summary


def test_a_rerun_grades_only_what_changed(graded_class, tmp_path):
    out, stubs = tmp_path / "out", tmp_path / "stubs"
    shutil.copytree(graded_class["out"], out)
    shutil.copytree(next(path for path in graded_class["paths"] if path.name == "stubs"), stubs)
    options = GradeOptions(out=out, seed=SEED, profile=PROFILE, katas=GRADED_KATAS)
    said = []
    grade(COURSE, [stubs], options, say=said.append)
    assert "1 submission(s), 0 to grade" in said[0]
    (stubs / "katas" / PIPELINE).write_text((ROOT / "solutions" / PIPELINE).read_text())
    said.clear()
    records = grade(COURSE, [stubs], options, say=said.append)
    assert "1 submission(s), 1 to grade" in said[0]
    assert next(r for r in records if r["student"] == "stubs")["points"] == 3
    said.clear()
    grade(COURSE, [stubs], dataclasses.replace(options, regrade=True), say=said.append)
    assert "1 submission(s), 1 to grade" in said[0]


def test_the_task_option_says_whether_a_task_earned_all_its_points(graded_class):
    """One GitHub Classroom step per task: exit 0 only when the task is solved (the results are reused)."""

    def task_step(student: str, task: str) -> int:
        path = next(path for path in graded_class["paths"] if path.name.removesuffix(".zip") == student)
        command = [
            sys.executable,
            "-m",
            "katakit.cli",
            "grade",
            str(path),
            "--out",
            str(graded_class["out"]),
            "--seed",
            str(SEED),
            "--profile",
            PROFILE,
            "--task",
            task,
            *(option for kata in GRADED_KATAS for option in ("--kata", kata)),
        ]
        return subprocess.run(command, cwd=ROOT, env=learner_env(), capture_output=True, text=True).returncode

    assert task_step("full", "pipeline:2") == 0
    assert task_step("task-2-unfinished", "pipeline:2") == 1
    assert task_step("task-2-unfinished", "pipeline:3") == 0


@pytest.mark.parametrize("name", ["patches-pytest", "patches-the-tests", "patches-transformers"])
def test_the_tampering_would_earn_points_in_an_unguarded_run(tmp_path, name):
    """The cases bite: run as a learner's plain pytest, each passes tests its honest code fails."""
    case = next(case for case in CASES if case.name == name)
    katas = case.write(tmp_path) / "katas"
    report = tmp_path / "report.json"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            f"--katas-dir={katas}",
            "-p",
            "no:cacheprovider",
            "-q",
            "--katas-report",
            str(report),
            "tests/test_01_pipeline.py",
        ],
        cwd=ROOT,
        env=learner_env(),
        capture_output=True,
    )
    results = json.loads(report.read_text())["results"]
    cheated = [r for r in results if r["outcome"] == "passed" and ("pipeline", r["task"]) not in case.solved]
    assert cheated, f"{name} earned nothing unguarded: {[(r['task'], r['outcome']) for r in results]}"


def test_a_zip_is_read_without_extracting_and_prefers_katas(tmp_path):
    archive = tmp_path / "alice.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("../../escape/01_pipeline.py", "escaped = True\n")
        zipped.writestr("alice-main/solutions/01_pipeline.py", "wrong = True\n")
        zipped.writestr("alice-main/katas/01_pipeline.py", "mine = True\n")
        zipped.writestr("alice-main/conftest.py", "cheat = True\n")
    submission = read_submission(archive, COURSE)
    assert submission.student == "alice"
    assert submission.files == {PIPELINE: b"mine = True\n"}
    assert not (tmp_path.parent / "escape").exists()
    assert "alice-main/conftest.py" in submission.notes[0]


def test_a_symlinked_kata_is_left_out(tmp_path):
    (tmp_path / "bob" / "katas").mkdir(parents=True)
    (tmp_path / "bob" / "katas" / PIPELINE).symlink_to(ROOT / "solutions" / PIPELINE)
    submission = read_submission(tmp_path / "bob", COURSE)
    assert submission.files == {}
    assert "symbolic link" in " ".join(submission.notes)


def test_a_notebook_counts_as_its_kata_file_where_that_is_missing_or_the_untouched_stub(tmp_path):
    work = continue_text_doing("return 'mine'")
    (tmp_path / "carol" / "katas").mkdir(parents=True)
    (tmp_path / "carol" / "katas" / PIPELINE).write_text(stub(PIPELINE))
    (tmp_path / "carol" / "notebooks").mkdir()
    (tmp_path / "carol" / "notebooks" / "01_pipeline.ipynb").write_text(as_notebook(work))
    (tmp_path / "carol" / "notebooks" / "04_tokenizers.ipynb").write_text(as_notebook(solution(TOKENIZERS)))
    submission = read_submission(tmp_path / "carol", COURSE)
    assert submission.files[PIPELINE].decode() == work.strip("\n") + "\n"
    assert submission.files[TOKENIZERS].decode() == solution(TOKENIZERS)
    assert "graded from notebooks/01_pipeline.ipynb" in " ".join(submission.notes)
    assert read_submission(tmp_path / "carol" / "notebooks", COURSE).student == "carol"


def test_where_kata_file_and_notebook_both_hold_work_the_kata_file_is_graded_and_the_notes_say_so(tmp_path):
    (tmp_path / "dan" / "katas").mkdir(parents=True)
    (tmp_path / "dan" / "katas" / PIPELINE).write_text(solution(PIPELINE))
    (tmp_path / "dan" / "01_pipeline.ipynb").write_text(as_notebook(continue_text_doing("return 'mine'")))
    submission = read_submission(tmp_path / "dan", COURSE)
    assert submission.files[PIPELINE].decode() == solution(PIPELINE)
    assert "01_pipeline.ipynb holds other work, not graded" in " ".join(submission.notes)


def test_a_file_that_is_no_notebook_is_left_out_with_a_note(tmp_path):
    archive = tmp_path / "erin.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("erin-main/notebooks/01_pipeline.ipynb", "{not json")
        zipped.writestr("erin-main/notebooks/04_tokenizers.ipynb", as_notebook(solution(TOKENIZERS)))
    submission = read_submission(archive, COURSE)
    assert list(submission.files) == [TOKENIZERS]
    assert "01_pipeline.ipynb: not a Jupyter notebook" in " ".join(submission.notes)
