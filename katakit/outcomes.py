"""From test results to per-task and per-kata status: solved, failing or not started."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from katakit.manifest import Course, Kata

SOLVED, FAILING, NOT_STARTED = "solved", "failing", "not started"
# The learner's last run on katas/, written by the plugin, read by `katas next` (relative to the course root).
LAST_RUN = Path(".katas") / "last-run.json"


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

    @property
    def status(self) -> str:
        statuses = set(self.task_status.values())
        if statuses == {SOLVED}:
            return SOLVED
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


def progress(course: Course, results: list[TestResult]) -> list[KataProgress]:
    """Progress of every kata that ran, in course order."""
    by_task: dict[tuple[str, int], list[str]] = {}
    for result in results:
        by_task.setdefault((result.kata, result.task), []).append(result.outcome)
    reports = []
    for kata in course.katas:
        statuses = {task.number: task_status(by_task[kata.name, task.number])
                    for task in kata.tasks if (kata.name, task.number) in by_task}
        if statuses:
            reports.append(KataProgress(kata, statuses))
    return reports
