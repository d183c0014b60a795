"""What a check in a notebook shows: each task solved, failing or not started, the teaching message of each
failure, and the next hint, as HTML in Jupyter and as text elsewhere (the terminal's summary, per task)."""

from __future__ import annotations

import html
import re
import textwrap
from dataclasses import dataclass

from katakit.i18n import N_, _, padded, wrapped
from katakit.manifest import Kata
from katakit.outcomes import NOT_STARTED, SOLVED, task_status

NOT_RUN = N_("not run")
COLOURS = {SOLVED: "#1a7f37", NOT_STARTED: "#9a6700", "failing": "#cf222e", NOT_RUN: "#6e7781"}
MESSAGES_PER_TASK = 3  # the distinct failure messages shown for a task; the rest are counted
OUTPUT_SHOWN = 20_000  # characters of pytest's own output, its end: a notebook is no place for megabytes


@dataclass(frozen=True)
class TaskResult:
    number: int
    title: str
    status: str
    passed: int
    ran: int
    messages: tuple[tuple[str, str], ...]  # (test name, teaching message), one per distinct message
    more: int  # failures whose message is not shown


@dataclass(frozen=True)
class CheckResult:
    kata: Kata
    tasks: tuple[TaskResult, ...]
    problem: str | None  # the run did not end as a pytest run ends: crashed, hung, flooded...
    output: str  # pytest's own output

    @classmethod
    def of(cls, kata: Kata, upto: int, run, output: str) -> CheckResult:
        results = [result for result in run.results if result.kata == kata.name]
        tasks = []
        for task in kata.tasks[:upto]:
            mine = [result for result in results if result.task == task.number]
            failed = [result for result in mine if result.outcome not in ("passed", "skipped")]
            messages, seen = [], set()
            for result in failed:
                if result.message not in seen:
                    seen.add(result.message)
                    messages.append((result.nodeid.partition("::")[2], result.message))
            status = task_status([result.outcome for result in mine]) if mine else NOT_RUN
            if status == NOT_STARTED:
                messages = messages[:1]  # one "not started" line says it all
            shown = tuple(messages[:MESSAGES_PER_TASK])
            passed = sum(result.outcome == "passed" for result in mine)
            more = len(failed) - len(shown) if status != NOT_STARTED else 0
            tasks.append(TaskResult(task.number, task.title, status, passed, len(mine), shown, more))
        if len(output) > OUTPUT_SHOWN:
            left_out = _("[the first {count} characters left out]", count=len(output) - OUTPUT_SHOWN)
            output = f"{left_out}\n{output[-OUTPUT_SHOWN:]}"
        return cls(kata, tuple(tasks), run.problem(), output)

    @property
    def solved(self) -> bool:
        return self.problem is None and all(task.status == SOLVED for task in self.tasks)

    def headline(self) -> str:
        last = self.tasks[-1].number
        span = _("task 1") if last == 1 else _("tasks 1-{last}", last=last)
        if self.solved:
            return _("kata {kata}, {span}: solved", kata=self.kata.name, span=span)
        open_tasks = ", ".join(
            _("task {number} {status}", number=task.number, status=_(task.status))
            for task in self.tasks
            if task.status != SOLVED
        )
        told = f": {self.problem}" if self.problem else ""
        return (
            _("kata {kata}, {span}: not solved ({tasks})", kata=self.kata.name, span=span, tasks=open_tasks or "-")
            + told
        )

    def next_steps(self) -> list[str]:
        """The first task not solved, its hint and the docs; or what comes after the tasks checked."""
        open_task = next((task for task in self.tasks if task.status != SOLVED), None)
        if open_task is None:
            following = self.kata.task(self.tasks[-1].number + 1)
            if following is None:
                return [_("Kata {kata} solved. Well done!", kata=self.kata.name)]
            return [_("Next: task {number}: {title}", number=following.number, title=_(following.title))]
        task = self.kata.task(open_task.number)
        return [
            _("Next: task {number}: {title}", number=task.number, title=_(task.title)),
            _("Hint: {hint}", hint=_(task.hint)),
            *(_("Docs: {link}", link=link) for link in self.kata.docs[:1]),
        ]

    def text(self) -> str:
        lines = [self.headline()]
        for task in self.tasks:
            counted = f" ({self._passed(task)})" if task.ran else ""
            lines.append(f"  {_task(task.number)}  {padded(_(task.status), 12)}{_(task.title)}{counted}")
        if self.problem:
            lines.append(self._problem())
        for task in self.tasks:
            for test, message in task.messages:
                lines.append(_("Task {number}, {test}:", number=task.number, test=test))
                lines.extend(textwrap.indent(message, "    ").splitlines())
            if task.more:
                lines.append("    " + self._more(task))
        for line in self.next_steps():
            lines.extend(wrapped(line, 100, "      ") if "://" not in line else [line])
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.text()

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(self.text())

    def _problem(self) -> str:
        return _("The run {problem}", problem=self.problem)

    @staticmethod
    def _passed(task: TaskResult) -> str:
        return _("{passed}/{ran} tests passed", passed=task.passed, ran=task.ran)

    @staticmethod
    def _more(task: TaskResult) -> str:
        return _("... and {count} more failing test(s) of task {number}", count=task.more, number=task.number)

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(_task(task.number))}</td>"
            f"<td style='color:{COLOURS.get(task.status, COLOURS['failing'])};font-weight:bold'>"
            f"{html.escape(_(task.status))}</td><td>{html.escape(_(task.title))}</td>"
            f"<td>{html.escape(self._passed(task)) if task.ran else ''}</td></tr>"
            for task in self.tasks
        )
        problem = ""
        if self.problem:
            problem = f"<p style='color:{COLOURS['failing']}'>{html.escape(self._problem())}</p>"
        failures = "".join(
            f"<p><b>{html.escape(_task(task.number))}</b>, <code>{html.escape(test)}</code>:</p>"
            f"<pre>{html.escape(message)}</pre>"
            for task in self.tasks
            for test, message in task.messages
        )
        more = "".join(f"<p>{html.escape(self._more(task))}</p>" for task in self.tasks if task.more)
        steps = "<br>".join(_linked(line) for line in self.next_steps())
        summary = html.escape(_("pytest output"))
        output = f"<details><summary>{summary}</summary><pre>{html.escape(self.output)}</pre></details>"
        return (
            f"<div class='katas-check'><p><b>{html.escape(self.headline())}</b></p><table>{rows}</table>"
            f"{problem}{failures}{more}<p>{steps}</p>{output}</div>"
        )


@dataclass(frozen=True)
class Refusal:
    """A check that could not run, and why."""

    why: str

    def text(self) -> str:
        return _("The check did not run: {why}", why=self.why)

    def __repr__(self) -> str:
        return self.text()

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(self.text())

    def _repr_html_(self) -> str:
        return f"<p style='color:{COLOURS['failing']}'>{html.escape(self.text())}</p>"


def _task(number: int) -> str:
    return _("Task {number}", number=number)


def _linked(line: str) -> str:
    """The line as HTML, its links made links."""
    return re.sub(
        r"https?://[^\s<]+", lambda link: f"<a href='{link[0]}' target='_blank'>{link[0]}</a>", html.escape(line)
    )


def show(result: CheckResult | Refusal) -> None:
    """In IPython (Jupyter, Colab, a terminal IPython) through its display, which picks HTML where it can;
    elsewhere as text."""
    try:
        from IPython import get_ipython
    except ImportError:
        get_ipython = None
    if get_ipython is not None and get_ipython() is not None:
        from IPython.display import display

        display(result)
    else:
        print(result.text())
