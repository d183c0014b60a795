"""From test results to per-task and per-kata status: solved, failing, not started or partly run."""

from __future__ import annotations

from dataclasses import dataclass

from katakit.i18n import N_
from katakit.manifest import Course, Kata

SOLVED, FAILING, NOT_STARTED = N_("solved"), N_("failing"), N_("not started")
# Every test that ran passed, but not all of the kata's tests ran (`-k`, `file::test`, a run cut short).
PARTLY_RUN = N_("partly run")


@dataclass(frozen=True)
class TestResult:
    nodeid: str
    kata: str
    task: int
    outcome: str  # "passed", "failed", "not started" or "skipped"
    message: str = ""
    duration: float = 0.0


@dataclass(frozen=True)
class KataProgress:
    kata: Kata
    task_status: dict[int, str]  # only tasks that ran
    complete: bool = True  # every test of the kata ran

    @property
    def status(self) -> str:
        statuses = set(self.task_status.values())
        if statuses == {SOLVED}:
            return SOLVED if self.complete and len(self.task_status) == len(self.kata.tasks) else PARTLY_RUN
        if statuses == {NOT_STARTED}:
            return NOT_STARTED
        return FAILING

    @property
    def solved_tasks(self) -> int:
        return sum(status == SOLVED for status in self.task_status.values())

    @property
    def first_open_task(self) -> int | None:
        return next((n for n, status in sorted(self.task_status.items()) if status != SOLVED), None)


def task_status(outcomes: list[str]) -> str:
    ran = [outcome for outcome in outcomes if outcome != "skipped"]
    if ran and all(outcome == "passed" for outcome in ran):
        return SOLVED
    if ran and all(outcome == "not started" for outcome in ran):
        return NOT_STARTED
    return FAILING


def progress(course: Course, results: list[TestResult], complete: set[str] | None = None) -> list[KataProgress]:
    """Progress of every kata that ran, in course order; `complete` names the katas whose tests all ran
    (default: every kata that ran)."""
    by_task: dict[tuple[str, int], list[str]] = {}
    for result in results:
        by_task.setdefault((result.kata, result.task), []).append(result.outcome)
    reports = []
    for kata in course.katas:
        statuses = {
            task.number: task_status(by_task[kata.name, task.number])
            for task in kata.tasks
            if (kata.name, task.number) in by_task
        }
        if statuses:
            reports.append(KataProgress(kata, statuses, complete is None or kata.name in complete))
    return reports
