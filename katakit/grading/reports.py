"""What `katas grade` writes: results/<student>.json (the record), and from the records, junit/<student>.xml,
grades.csv and the class summary (summary.md). Every file is written atomically."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

from katakit.atomic import write_atomically
from katakit.grading.html_report import report_html
from katakit.grading.scoring import PASSED

RESULTS, JUNIT, GRADES, SUMMARY = "results", "junit", "grades.csv", "summary.md"
REPORT = "report.html"


def result_path(out: Path, student: str) -> Path:
    return out / RESULTS / f"{student}.json"


def read_record(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_record(out: Path, record: dict) -> None:
    write_atomically(result_path(out, record["student"]), json.dumps(record, indent=1, ensure_ascii=False))
    write_atomically(out / JUNIT / f"{record['student']}.xml", junit_xml(record))


def all_records(out: Path) -> list[dict]:
    records = (read_record(path) for path in sorted((out / RESULTS).glob("*.json")))
    return [record for record in records if record is not None]


def write_class_files(out: Path, records: list[dict]) -> None:
    """What is written from all the records of a class: the grades table and the class summary."""
    write_atomically(out / GRADES, grades_csv(records))
    write_atomically(out / SUMMARY, class_summary(records))
    write_atomically(out / REPORT, report_html(records))


def junit_xml(record: dict) -> str:
    """One testsuite per kata, one testcase per test; the task is a property of each case."""
    suites = ET.Element("testsuites", name=f"transformers-katas: {record['student']}")
    for kata in dict.fromkeys(test["kata"] for test in record["tests"]):
        tests = [test for test in record["tests"] if test["kata"] == kata]
        failures = [test for test in tests if test["outcome"] != PASSED]
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=kata,
            tests=str(len(tests)),
            failures=str(len(failures)),
            time=f"{sum(test['duration'] for test in tests):.3f}",
        )
        for test in tests:
            file_part, _, name = test["nodeid"].partition("::")
            case = ET.SubElement(
                suite, "testcase", classname=kata, name=name, file=file_part, time=f"{test['duration']:.3f}"
            )
            properties = ET.SubElement(case, "properties")
            ET.SubElement(properties, "property", name="task", value=str(test["task"]))
            if test["outcome"] != PASSED:
                failure = ET.SubElement(case, "failure", type=test["outcome"], message=_clean(test["message"])[:500])
                failure.text = _clean(test["message"])
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def _clean(text: str) -> str:
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "?", text)  # XML 1.0 has no place for control characters


def grades_csv(records: list[dict]) -> str:
    keys = list(dict.fromkeys(task["kata"] + ":" + str(task["task"]) for r in records for task in r["tasks"]))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", "points", "max_points", *keys, "tampering"])
    for record in sorted(records, key=lambda r: r["student"]):
        by_key = {f"{task['kata']}:{task['task']}": task["points"] for task in record["tasks"]}
        writer.writerow(
            [
                record["student"],
                record["points"],
                record["max_points"],
                *(by_key.get(key, "") for key in keys),
                "yes" if record["tampering"] else "",
            ]
        )
    return buffer.getvalue()


def class_summary(records: list[dict]) -> str:
    """Per task: how many students earned all its points, the mean, and the most common failure."""
    if not records:
        return "# Class summary\n\nNo submission graded yet.\n"
    tasks = {}
    for record in records:
        for task in record["tasks"]:
            tasks.setdefault((task["kata"], task["task"]), []).append((record, task))
    lines = [
        f"# Class summary: {len(records)} students",
        "",
        f"Mean total: {sum(r['points'] for r in records) / len(records):.2f} of {records[0]['max_points']:g} "
        f"points (seed {records[0]['seed']}, hypothesis profile {records[0]['profile']}).",
        "",
        "| kata | task | title | solved by | mean points | most common failure |",
        "|---|---|---|---|---|---|",
    ]
    for (kata, number), entries in tasks.items():
        solved = sum(task["passed"] == task["tests"] > 0 for _, task in entries)
        mean = sum(task["points"] for _, task in entries) / len(entries)
        failure = _most_common_failure(
            [
                test
                for record, _ in entries
                for test in record["tests"]
                if (test["kata"], test["task"]) == (kata, number)
            ]
        )
        lines.append(
            f"| {kata} | {number} | {entries[0][1]['title']} | {solved}/{len(entries)} "
            f"({100 * solved / len(entries):.0f}%) | {mean:.2f} of {entries[0][1]['max_points']:g} | "
            f"{failure} |"
        )
    tampering = [record["student"] for record in records if record["tampering"]]
    if tampering:
        lines += ["", "Tampering detected (see each student's results file): " + ", ".join(tampering)]
    return "\n".join(lines) + "\n"


def _most_common_failure(tests: list[dict]) -> str:
    messages = Counter(_first_line(test["message"]) for test in tests if test["outcome"] != PASSED)
    if not messages:
        return ""
    message, count = messages.most_common(1)[0]
    return f"{message} ({count})".replace("|", "\\|")


def _first_line(message: str) -> str:
    line = (message.strip().splitlines() or [""])[0]
    return line[:117] + "..." if len(line) > 120 else line
