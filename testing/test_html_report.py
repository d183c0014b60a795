"""report.html (katakit/grading/html_report.py): a tiny class graded for real by `katas grade`, and classes made
from its records (a hostile name, tampering, hundreds of students). The page's charts and numbers are checked
against the records, then the page is loaded in a real browser (testing/browser.py)."""

from __future__ import annotations

import copy
import re
import shutil
import struct
import time
from collections import Counter
from pathlib import Path

import pytest
from browser import render
from course_runs import ROOT
from grading_cases import ALL_PIPELINE, PIPELINE, Case, continue_text_doing
from html_tree import parse

from katakit.grading import reports
from katakit.grading.command import GradeOptions, grade
from katakit.grading.html_report import failure_line, report_html, totals_histogram
from katakit.grading.sandbox import Limits
from katakit.manifest import load_course

COURSE = load_course(ROOT)
SEED = 0  # the learner's seed: its cached models are copied to the grader, which then builds none
ARTIFACTS = Path(__file__).parent / "artifacts"  # gitignored: the last screenshot, to look at
TASK_2 = ("pipeline", 2)
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes"'


def warm_zoo(zoo_folder: Path, seed: int) -> None:
    """The learner's cached models of `seed`, copied where `katas grade` keeps its zoo (OUT/.zoo, command.grade),
    so that grading finds them built: some 40 s saved. A model not copied is built as usual."""
    from katakit import zoo

    for name, params in zoo.course_models():
        built = zoo.model_dir(name, seed=seed, **params)
        shutil.copytree(built, zoo_folder / built.name, dirs_exist_ok=True)


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> dict:
    """Two students, graded on one kata at once: one whose task 2 raises a hostile message, one who submitted
    nothing. (Each grading process costs seconds: crashes and tampering are made from these records below.)"""
    cases = [
        Case("partly", {PIPELINE: continue_text_doing(f"raise ValueError({HOSTILE!r})")}, ALL_PIPELINE - {TASK_2}),
        Case("nothing-submitted", {}, set()),
    ]
    folder, out = tmp_path_factory.mktemp("submissions"), tmp_path_factory.mktemp("grading")
    warm_zoo(out / ".zoo", SEED)
    options = GradeOptions(
        out=out, jobs=2, seed=SEED, profile="dev", katas=("pipeline",), limits=Limits(stall_seconds=20)
    )
    records = grade(COURSE, [case.write(folder) for case in cases], options, say=lambda _: None)
    return {"out": out, "records": records}


@pytest.fixture
def records(graded) -> list[dict]:
    return copy.deepcopy(graded["records"])


def renamed(record: dict, student: str) -> dict:
    return {**copy.deepcopy(record), "student": student}


def partly(records: list[dict]) -> dict:
    return next(record for record in records if record["student"] == "partly")


def crashing_in_task_3(record: dict) -> dict:
    """`record` had its task 3 ended the grading process twice, as sandbox.py records it."""
    crasher = renamed(record, "crasher")
    for n, test in enumerate(t for t in crasher["tests"] if t["task"] == 3):
        outcome = "crashed" if n < 2 else "not run"
        test.update(outcome=outcome, message=f"{outcome}: the grading process exited with 3 during this test")
    return crasher


def cheating_in_task_1(record: dict) -> dict:
    cheater = renamed(record, "cheater")
    cheater["tampering"] = ["tampering: replacing torch.equal"]
    test = next(t for t in cheater["tests"] if t["task"] == 1)
    test.update(
        outcome="tampered", message="tampering: replacing torch.equal (kata pipeline, task 1). " + test["message"]
    )
    return cheater


def test_grading_writes_the_report_of_its_records(graded):
    page = (graded["out"] / reports.REPORT).read_text(encoding="utf-8")
    assert page == report_html(reports.all_records(graded["out"]))
    assert "Class report: 2 students" in page


def test_each_task_has_a_bar_with_its_pass_rate_in_course_order(records):
    bars = parse(report_html(records)).find("svg", "chart").find_all("g", "bar")
    tasks = COURSE.kata_named("pipeline").tasks
    assert len(bars) == len(tasks)
    for bar, task in zip(bars, tasks, strict=True):
        scores = [s for r in records for s in r["tasks"] if (s["kata"], s["task"]) == ("pipeline", task.number)]
        solved = sum(s["tests"] > 0 and s["passed"] == s["tests"] for s in scores)
        said = f"pipeline:{task.number} {task.title}: {solved}/{len(scores)} solved ({100 * solved / len(scores):.0f}%)"
        assert bar.attrs["aria-label"] == said
        assert f"{solved}/{len(scores)} solved" in bar.text


def test_the_heatmap_has_a_cell_per_student_and_task_and_names_link_to_sections(records):
    root = parse(report_html(records))
    rows = root.find("table", "heatmap").find("tbody").find_all("tr")
    assert [row.find("th").text for row in rows] == sorted(r["student"] for r in records)
    for row in rows:
        record = next(r for r in records if r["student"] == row.find("th").text)
        cells = row.find_all("td")[1:]  # after the total
        assert [cell.text for cell in cells] == [f"{s['points']:g}" for s in record["tasks"]]
        assert all(record["student"] in cell.attrs["title"] for cell in cells)
        section = root.by_id(row.find("a").attrs["href"].removeprefix("#"))
        assert section is not None and section.find("h3").text == record["student"]
    colours = {row.find("th").text: [cell.classes[0] for cell in row.find_all("td")[1:]] for row in rows}
    assert colours == {"partly": ["q5", "q0", "q5"], "nothing-submitted": ["q0", "q0", "q0"]}


def test_the_histogram_counts_every_student_by_total(records):
    bars = parse(report_html(records)).by_id("totals-chart").find_all("g", "hist-bar")
    counts = [int(bar.find("text", "count").text) for bar in bars]
    assert sum(counts) == len(records)
    assert counts[-1] == sum(r["points"] == r["max_points"] for r in records)  # the last bin: full scores


def test_totals_fall_in_the_bin_of_their_whole_points_or_tenths():
    assert totals_histogram([0, 0.5, 1, 2.5, 3], 3) == ([2, 1, 1, 1], ["0–1", "1–2", "2–3", "3"])
    counts, labels = totals_histogram([0, 3.9, 4, 39.5, 40], 40)
    assert counts == [2, 1, 0, 0, 0, 0, 0, 0, 0, 2] and labels[0] == "0–4" and labels[-1] == "36–40"
    assert totals_histogram([0, 0], 0) == ([2], ["0"])


def test_failure_counts_match_the_records(records):
    root = parse(report_html(records))
    for section in root.find_all("section", "task-failures"):
        kata, number = section.attrs["data-task"].split(":")
        failing = [
            (r["student"], t)
            for r in records
            for t in r["tests"]
            if (t["kata"], str(t["task"])) == (kata, number) and t["outcome"] != "passed"
        ]
        assert int(section.attrs.get("data-tests", 0)) == len(failing)
        tests = Counter(failure_line(t["message"]) for _, t in failing)
        students = Counter(line for line, _ in {(failure_line(t["message"]), s) for s, t in failing})
        for item in section.find_all("li"):
            line = item.find("code").text
            assert (int(item.attrs["data-tests"]), int(item.attrs["data-students"])) == (tests[line], students[line])
    task_2 = next(s for s in root.find_all("section", "task-failures") if s.attrs["data-task"] == "pipeline:2")
    assert any(HOSTILE in code.text for code in task_2.find_all("code")), "the hostile message, as text"
    assert any(item.find("details") for item in task_2.find_all("li")), "a full example per message"


def test_crashes_missing_files_and_tampering_are_listed(records):
    crasher, cheater = crashing_in_task_3(partly(records)), cheating_in_task_1(partly(records))
    incidents = parse(report_html([*records, crasher, cheater])).by_id("incidents").find_all("tr", "incident")
    said = {(row.attrs["data-kind"], row.find("a").text) for row in incidents}
    assert said == {("crashed", "crasher"), ("missing files", "nothing-submitted"), ("tampering", "cheater")}
    crash = next(row for row in incidents if row.attrs["data-kind"] == "crashed")
    assert crash.find_all("td")[-1].text.startswith("2: ")


def test_what_a_submission_wrote_is_escaped(records):
    hostile = renamed(records[0], HOSTILE)
    hostile["notes"] = [HOSTILE]
    page = report_html([*records, hostile])
    assert "<script" not in page.lower() and "<img" not in page.lower()
    root = parse(page)
    assert HOSTILE in [row.find("th").text for row in root.find("table", "heatmap").find("tbody").find_all("tr")]
    anchor = next(a.attrs["href"] for a in root.find("table", "heatmap").find_all("a") if a.text == HOSTILE)
    assert re.fullmatch(r"#student-[A-Za-z0-9_-]+", anchor) and root.by_id(anchor[1:]) is not None


def test_an_empty_class_says_so():
    page = report_html([])
    assert "No submission graded yet." in page and "<svg" not in page


def test_a_class_without_points_and_a_student_not_graded_on_a_task(records):
    for record in records:
        record["points"] = 0.0
        for score in record["tasks"]:
            score.update(passed=0, points=0.0)
    records[0]["tasks"] = [s for s in records[0]["tasks"] if s["task"] != 2]
    root = parse(report_html(records))
    assert [bar.attrs["aria-label"].split(": ")[-1] for bar in root.find_all("g", "bar")] == [
        "0/2 solved (0%)",
        "0/1 solved (0%)",
        "0/2 solved (0%)",
    ]
    for row in root.find("table", "heatmap").find("tbody").find_all("tr"):
        not_graded = [cell.classes[0] for cell in row.find_all("td")[1:]].count("na")
        assert not_graded == (row.find("th").text == records[0]["student"]), row.find("th").text


def test_three_hundred_students_and_long_messages_stay_light(records):
    long = "x" * 200_000
    for test in (t for r in records for t in r["tests"] if t["outcome"] != "passed"):
        test["message"] = "AssertionError: " + long
    many = [renamed(records[i % 2], f"student-{i:03d}") for i in range(300)]
    started = time.monotonic()
    page = report_html(many)
    assert time.monotonic() - started < 10
    assert len(page) < 3_000_000, f"{len(page)} characters"
    assert page.count(long[:5000]) == 0, "a long message is cut"
    assert page.count("<details>") <= 3 * 5, "examples are capped per task"
    assert page.count('<section class="student"') == 300


def test_a_browser_renders_the_charts_and_logs_nothing_to_the_console(records, tmp_path):
    # A hostile name too: a script or image that escaped escaping would be blocked by the page's CSP, and logged.
    page = tmp_path / "report.html"
    page.write_text(report_html([*records, renamed(records[0], HOSTILE)]), encoding="utf-8")
    rendered = render(page, tmp_path / "profile", "--dump-dom")
    assert rendered.console == []
    dom = parse(rendered.stdout)
    assert len(dom.find_all("svg", "chart")) == 2
    assert len(dom.find_all("g", "bar")) == 3 and sum(int(t.text) for t in dom.find_all("text", "count")) == 3
    assert len(dom.find("table", "heatmap").find("tbody").find_all("td")) == 3 * (1 + 3)


def test_the_console_check_catches_a_script_error(tmp_path):
    page = tmp_path / "broken.html"
    page.write_text("<!DOCTYPE html><p>broken</p><script>notDefinedAnywhere();</script>")
    console = render(page, tmp_path / "profile", "--dump-dom").console
    assert any("Uncaught ReferenceError: notDefinedAnywhere" in line for line in console), console


def test_a_screenshot_of_the_report(graded, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report.png"
    shot.unlink(missing_ok=True)
    render(graded["out"] / reports.REPORT, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1280,2000")
    print(f"screenshot of report.html: {shot}")
    header = shot.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", header[16:24]) == (1280, 2000)
    assert shot.stat().st_size > 20_000, "a blank page compresses to a few kB"
