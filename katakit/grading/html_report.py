"""report.html: the class at a glance, for an instructor deciding what to teach next. From the records `katas grade`
writes (command._grade_one): pass rate per task, a student x task heatmap, the totals, the common failures, tampering
and crashes, and a section per student.

One self-contained page: no script, no network (its Content-Security-Policy forbids both, so a message that
escaped escaping still could not run), printable. Everything a submission wrote (student names, messages) is
escaped. Sized for a class of hundreds: the messages are grouped and capped, never one element per test.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html import escape

from katakit.grading.html_charts import Bar, bar_chart, histogram
from katakit.grading.html_style import CSS, HEAT_LABELS
from katakit.grading.scoring import PASSED

LINE_CHARS = 160  # a failure's line, as grouped and shown
EXAMPLE_CHARS = 4000  # the full example of a failure, cut there
MESSAGES_PER_TASK, MESSAGES_PER_STUDENT_TASK, TESTS_LISTED = 5, 3, 8
INCIDENTS = ("crashed", "timed out")  # outcomes that ended the grading process (sandbox.py)
TAMPERED = "tampered"  # command.TAMPERED; not imported, so that reports do not import the grading machinery
TASK_SUFFIX, LINE_NUMBER, ADDRESS = (
    re.compile(r"\s*\(kata [^()]*, task \d+\)$"),
    re.compile(r"(\.py):\d+"),
    re.compile(r"0x[0-9a-fA-F]{6,}"),
)
# No script, no fetch: styles inline only. An <img>, <script> or link smuggled in would be blocked and logged.
CSP = "default-src 'none'; style-src 'unsafe-inline'"


@dataclass(frozen=True)
class Task:
    kata: str
    number: int
    title: str
    max_points: float

    @property
    def key(self) -> str:
        return f"{self.kata}:{self.number}"


@dataclass(frozen=True)
class Failing:
    student: str
    test: dict
    line: str  # failure_line(test["message"]), read once: a class of hundreds has 10^5 failing tests


@dataclass
class Failures:
    """The failing tests of one task that read alike (same `failure_line`)."""

    line: str
    tests: int = 0
    students: set[str] = field(default_factory=set)
    example: Failing | None = None


def report_html(records: list[dict]) -> str:
    records = sorted(records, key=lambda record: record["student"])
    tasks = course_tasks(records)
    scores = {r["student"]: {(t["kata"], t["task"]): t for t in r["tasks"]} for r in records}
    anchors = student_anchors(records)
    failing = failing_tests(records)
    sections = [_header(records, tasks)]
    if records:
        sections += [
            _nav(),
            _pass_rates(records, tasks, scores),
            _heatmap(records, tasks, scores, anchors),
            _totals(records),
            _common_failures(records, tasks, failing),
            _incidents(records, anchors),
            _students(records, tasks, scores, anchors, failing),
        ]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Class report: {_count(len(records), 'student')}</title><style>{CSS}</style></head>\n<body>\n"
        + "\n".join(sections)
        + "\n</body></html>\n"
    )


def course_tasks(records: list[dict]) -> list[Task]:
    """Every task graded, in course order: katas in the order of the record graded with the most of them (a
    record lists its katas in manifest order), then by task number."""
    katas = {}
    for record in sorted(records, key=lambda r: -len(r.get("katas", []))):
        katas.update(dict.fromkeys([*record.get("katas", []), *(task["kata"] for task in record["tasks"])]))
    tasks = {}
    for record in records:
        for t in record["tasks"]:
            tasks.setdefault((t["kata"], t["task"]), Task(t["kata"], t["task"], t["title"], t["max_points"]))
    order = list(katas)
    return sorted(tasks.values(), key=lambda task: (order.index(task.kata), task.number))


def student_anchors(records: list[dict]) -> dict[str, str]:
    """An id per student, unique and safe in a URL fragment whatever the name."""
    anchors: dict[str, str] = {}
    for record in records:
        base = "student-" + re.sub(r"[^A-Za-z0-9_-]", "_", record["student"])
        anchor, n = base, 1
        while anchor in anchors.values():  # "a b" and "a_b" would share one
            n += 1
            anchor = f"{base}-{n}"
        anchors[record["student"]] = anchor
    return anchors


def failure_line(message: str) -> str:
    """A failure's first line, less what differs between students who made the same mistake: the line number in
    their file, a memory address, and the "(kata, task)" suffix the grouping already says."""
    first = re.search(r"\S", message)
    if first is None:
        return "(no message)"
    # Read no further than the first line needs: a message may be megabytes, and there is one per failing test.
    end = message.find("\n", first.start(), first.start() + 4 * LINE_CHARS)
    line = message[first.start() : end if end >= 0 else first.start() + 4 * LINE_CHARS].strip()
    line = TASK_SUFFIX.sub("", line)
    line = LINE_NUMBER.sub(r"\1:…", line)
    line = ADDRESS.sub("0x…", line)
    return line if len(line) <= LINE_CHARS else line[: LINE_CHARS - 1] + "…"


def failing_tests(records: list[dict]) -> dict[tuple[str, str, int], list[Failing]]:
    """Every test that did not pass, by (student, kata, task)."""
    failing = defaultdict(list)
    for record in records:
        for test in record["tests"]:
            if test["outcome"] != PASSED:
                key = (record["student"], test["kata"], test["task"])
                failing[key].append(Failing(record["student"], test, failure_line(test["message"])))
    return failing


def group_failures(failing: list[Failing]) -> list[Failures]:
    """Failing tests grouped by their `failure_line`, most tests first."""
    groups: dict[str, Failures] = {}
    for one in failing:
        group = groups.setdefault(one.line, Failures(one.line))
        group.tests += 1
        group.students.add(one.student)
        group.example = group.example or one
    return sorted(groups.values(), key=lambda group: (-group.tests, group.line))


def solved(score: dict) -> bool:
    return score["tests"] > 0 and score["passed"] == score["tests"]


def _header(records: list[dict], tasks: list[Task]) -> str:
    if not records:
        return "<header><h1>Class report</h1><p>No submission graded yet.</p></header>"
    mean = sum(r["points"] for r in records) / len(records)
    most = Counter(r["max_points"] for r in records).most_common(1)[0][0]
    katas = list(dict.fromkeys(task.kata for task in tasks))
    facts = {
        "Students": str(len(records)),
        "Mean total": f"{_num(mean)} of {_num(most)} points" + (f" ({100 * mean / most:.0f}%)" if most else ""),
        "Seed": ", ".join(sorted({str(r["seed"]) for r in records})),
        "Hypothesis profile": ", ".join(sorted({str(r["profile"]) for r in records})),
        "Katas graded": f"{', '.join(katas)} ({len(tasks)} tasks)",
    }
    rows = "".join(f"<dt>{escape(key)}</dt><dd>{escape(value)}</dd>" for key, value in facts.items())
    return f'<header><h1>Class report: {len(records)} students</h1><dl class="facts" id="facts">{rows}</dl></header>'


def _nav() -> str:
    links = [
        ("pass-rates", "Pass rate per task"),
        ("heatmap", "Points per student and task"),
        ("totals", "Totals"),
        ("failures", "Common failures"),
        ("incidents", "Tampering, crashes, timeouts"),
        ("students", "Students"),
    ]
    items = "".join(f'<li><a href="#{anchor}">{name}</a></li>' for anchor, name in links)
    return f'<nav aria-label="Sections"><ul>{items}</ul></nav>'


def _pass_rates(records: list[dict], tasks: list[Task], scores: dict) -> str:
    bars = []
    for task in tasks:
        graded = [
            scores[r["student"]][(task.kata, task.number)]
            for r in records
            if (task.kata, task.number) in scores[r["student"]]
        ]
        n = sum(solved(score) for score in graded)
        rate = n / len(graded) if graded else 0.0
        value = f"{n}/{len(graded)} solved ({100 * rate:.0f}%)"
        bars.append(Bar(f"{task.key} {task.title}", value, rate, f"{task.key} {task.title}: {value}"))
    chart = bar_chart(bars, "Share of students who earned all the points of each task, in course order", "pass-chart")
    return (
        '<section id="pass-rates"><h2>Pass rate per task</h2>'
        "<p>Solved: every test of the task passed. In course order.</p>"
        f"<figure>{chart}</figure></section>"
    )


def _heatmap(records: list[dict], tasks: list[Task], scores: dict, anchors: dict[str, str]) -> str:
    head = "".join(
        f'<th scope="col" class="task" title="{escape(f"{task.key} {task.title}")}">{escape(task.key)}</th>'
        for task in tasks
    )
    rows = []
    for record in records:
        name, mine = record["student"], scores[record["student"]]
        cells = []
        for task in tasks:
            score = mine.get((task.kata, task.number))
            if score is None:
                said = f"{name}, {task.key}: not graded"
                cells.append(f'<td class="na" title="{escape(said)}" aria-label="{escape(said)}">–</td>')
                continue
            # Short: one per student and task. The task's title is on its column.
            points = f"{_num(score['points'])}/{_num(score['max_points'])} points"
            said = f"{name}, {task.key}: {points}, {score['passed']}/{score['tests']} tests"
            level = _heat_level(score)
            cells.append(f'<td class="q{level}" title="{escape(said)}">{_num(score["points"])}</td>')
        rows.append(
            f'<tr><th scope="row"><a href="#{anchors[name]}">{escape(name)}</a></th>'
            f'<td class="num">{_num(record["points"])}</td>{"".join(cells)}</tr>'
        )
    legend = (
        "".join(f'<li><span class="q{i}"></span> {label}</li>' for i, label in enumerate(HEAT_LABELS))
        + '<li><span class="na"></span> – not graded</li>'
    )
    return (
        '<section id="heatmap"><h2>Points per student and task</h2>'
        "<p>Each cell: the student's points for the task, coloured by the share of its points. "
        "A name leads to the student's section.</p>"
        f'<ul class="legend" aria-label="Colours">{legend}</ul>'
        '<div class="scroll"><table class="heatmap"><caption class="muted">Points per task</caption>'
        f'<thead><tr><th scope="col">student</th><th scope="col" class="num">total</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div></section>"
    )


def _heat_level(score: dict) -> int:
    """0 for no points, 5 for all of them, 1 to 4 by quarters between."""
    top = score["max_points"]
    share = score["points"] / top if top else (score["passed"] / score["tests"] if score["tests"] else 0.0)
    if share <= 0:
        return 0
    return 5 if share >= 1 else 1 + min(int(share * 4), 3)


def _totals(records: list[dict]) -> str:
    counts, labels = totals_histogram([r["points"] for r in records], max(r["max_points"] for r in records))
    chart = histogram(counts, labels, "How many students scored each total (points)", "totals-chart")
    return f'<section id="totals"><h2>Totals</h2><figure>{chart}</figure></section>'


def totals_histogram(totals: list[float], top: float) -> tuple[list[int], list[str]]:
    """Counts and labels of the bins: one per point up to 20 points (the last holds a full score), else 10."""
    if top <= 0:
        return [len(totals)], ["0"]
    whole = top <= 20 and float(top).is_integer()
    edges = [float(i) for i in range(int(top) + 1)] if whole else [top * i / 10 for i in range(11)]
    counts = [0] * (len(edges) - (0 if whole else 1))
    for total in totals:
        counts[sum(total >= edge for edge in edges[1 : len(counts)])] += 1
    if whole:
        labels = [f"{_num(edge)}" if edge == top else f"{_num(edge)}–{_num(edge + 1)}" for edge in edges]
    else:
        labels = [f"{_num(edges[i])}–{_num(edges[i + 1])}" for i in range(len(counts))]
    return counts, labels


def _common_failures(records: list[dict], tasks: list[Task], by_student: dict) -> str:
    parts = []
    for task in tasks:
        failing = [one for r in records for one in by_student.get((r["student"], task.kata, task.number), [])]
        groups = group_failures(failing)
        students = len({one.student for one in failing})
        heading = (
            f'<h3>{escape(task.key)} {escape(task.title)} <span class="muted">'
            f"{_count(len(failing), 'failing test')} from {_count(students, 'student')}</span></h3>"
        )
        if not groups:
            parts.append(
                f'<section class="task-failures" data-task="{escape(task.key)}">{heading}<p>No failure.</p></section>'
            )
            continue
        items = "".join(_failure_item(group) for group in groups[:MESSAGES_PER_TASK])
        rest = groups[MESSAGES_PER_TASK:]
        rest_tests = _count(sum(g.tests for g in rest), "test")
        more = f'<p class="muted">and {_count(len(rest), "other message")} ({rest_tests})</p>' if rest else ""
        parts.append(
            f'<section class="task-failures" data-task="{escape(task.key)}" data-tests="{len(failing)}">'
            f'{heading}<ol class="failures">{items}</ol>{more}</section>'
        )
    return (
        '<section id="failures"><h2>Common failures per task</h2>'
        "<p>Failing tests grouped by their message's first line (line numbers and addresses left out); "
        f"at most {MESSAGES_PER_TASK} per task, with one full example each.</p>" + "".join(parts) + "</section>"
    )


def _failure_item(group: Failures) -> str:
    student, test = group.example.student, group.example.test
    message = test["message"]
    if len(message) > EXAMPLE_CHARS:
        message = message[:EXAMPLE_CHARS] + f"\n… ({len(test['message']) - EXAMPLE_CHARS} more characters)"
    return (
        f'<li data-tests="{group.tests}" data-students="{len(group.students)}">'
        f"<strong>{_count(group.tests, 'test')}</strong>, {_count(len(group.students), 'student')}: "
        f"<code>{escape(group.line)}</code>"
        f"<details><summary>Example ({escape(student)}, {escape(test['outcome'])}: "
        f"{escape(_test_name(test))})</summary><pre>{escape(message)}</pre></details></li>"
    )


def _incidents(records: list[dict], anchors: dict[str, str]) -> str:
    rows = []
    for record in records:
        link = f'<a href="#{anchors[record["student"]]}">{escape(record["student"])}</a>'
        tampered = [test for test in record["tests"] if test["outcome"] == TAMPERED]
        if record["tampering"] or tampered:
            rows.append(("tampering", link, "; ".join(record["tampering"]), tampered))
        for outcome in INCIDENTS:
            tests = [test for test in record["tests"] if test["outcome"] == outcome]
            if tests:
                rows.append((outcome, link, failure_line(tests[0]["message"]), tests))
        if record.get("missing"):
            rows.append(("missing files", link, ", ".join(record["missing"]), []))
    if not rows:
        body = "<p>No tampering, crash, timeout or missing file.</p>"
    else:
        cells = "".join(
            f'<tr class="incident" data-kind="{escape(kind)}"><td>{escape(kind)}</td><td>{link}</td>'
            f"<td><code>{escape(what)}</code></td><td>{_test_list(tests)}</td></tr>"
            for kind, link, what, tests in rows
        )
        body = (
            '<table class="incidents"><thead><tr><th scope="col">what</th><th scope="col">student</th>'
            f'<th scope="col">message</th><th scope="col">tests</th></tr></thead><tbody>{cells}</tbody></table>'
        )
    return f'<section id="incidents"><h2>Tampering, crashes, timeouts, missing files</h2>{body}</section>'


def _test_list(tests: list[dict]) -> str:
    names = ", ".join(escape(_test_name(test)) for test in tests[:TESTS_LISTED])
    more = f" and {len(tests) - TESTS_LISTED} more" if len(tests) > TESTS_LISTED else ""
    return f"{len(tests)}: {names}{more}" if tests else ""


def _students(records: list[dict], tasks: list[Task], scores: dict, anchors: dict[str, str], failing: dict) -> str:
    return (
        '<section id="students"><h2>Students</h2>'
        + "".join(_student(record, tasks, scores[record["student"]], anchors, failing) for record in records)
        + "</section>"
    )


def _student(record: dict, tasks: list[Task], mine: dict, anchors: dict[str, str], failing: dict) -> str:
    name = record["student"]
    facts = [f"{_num(record['points'])} of {_num(record['max_points'])} points"]
    if record.get("missing"):
        facts.append("missing: " + ", ".join(record["missing"]))
    if record.get("notes"):
        facts.append("notes: " + "; ".join(record["notes"]))
    if record["tampering"]:
        facts.append("; ".join(record["tampering"]))  # each says "tampering: ..."
    # A row per task the student did not solve: a class of hundreds stays a page a browser opens at once.
    graded = [task for task in tasks if (task.kata, task.number) in mine]
    done = [task.key for task in graded if solved(mine[(task.kata, task.number)])]
    facts.append(f"solved: {', '.join(done) or 'none'}")
    if len(graded) < len(tasks):
        facts.append("not graded: " + ", ".join(task.key for task in tasks if task not in graded))
    rows = []
    for task in graded:
        score = mine[(task.kata, task.number)]
        if solved(score):
            continue
        groups = group_failures(failing.get((name, task.kata, task.number), []))
        lines = "".join(
            f"<li><code>{escape(g.line)}</code>{f' ({g.tests} tests)' if g.tests > 1 else ''}</li>"
            for g in groups[:MESSAGES_PER_STUDENT_TASK]
        )
        if len(groups) > MESSAGES_PER_STUDENT_TASK:
            lines += f"<li>and {_count(len(groups) - MESSAGES_PER_STUDENT_TASK, 'other message')}</li>"
        rows.append(
            f"<tr><td>{escape(task.key)}</td><td>{escape(task.title)}</td>"
            f'<td class="num q{_heat_level(score)}">{_num(score["points"])} / {_num(score["max_points"])}</td>'
            f'<td class="num">{score["passed"]}/{score["tests"]}</td><td><ul>{lines}</ul></td></tr>'
        )
    table = (
        '<table><thead><tr><th scope="col">task not solved</th><th scope="col">title</th><th scope="col">points</th>'
        '<th scope="col">tests passed</th><th scope="col">failures</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
        if rows
        else ""
    )
    return (
        f'<section class="student" id="{anchors[name]}"><h3>{escape(name)}</h3>'
        f'<p>{"<br>".join(escape(fact) for fact in facts)} <a class="back" href="#heatmap">back to the heatmap</a></p>'
        f"{table}</section>"
    )


def _test_name(test: dict) -> str:
    return test["nodeid"].rpartition("::")[2] or test["nodeid"]


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}{'' if n == 1 else 's'}"


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")
