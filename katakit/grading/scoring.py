"""Points per task: the manifest's points, shared out over the task's tests (partial credit)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from katakit.manifest import Kata

PASSED = "passed"


@dataclass(frozen=True)
class TaskScore:
    kata: str
    task: int
    title: str
    max_points: float
    tests: int
    passed: int

    @property
    def key(self) -> str:
        return f"{self.kata}:{self.task}"

    @property
    def points(self) -> float:
        return round(self.max_points * self.passed / self.tests, 2) if self.tests else 0.0

    def as_dict(self) -> dict:
        return {**asdict(self), "points": self.points}


def task_scores(katas: list[Kata], tests: list[dict]) -> list[TaskScore]:
    """One score per task of `katas`, from the result of each test (its "kata", "task" and "outcome")."""
    scores = []
    for kata in katas:
        for task in kata.tasks:
            mine = [test for test in tests if test["kata"] == kata.name and test["task"] == task.number]
            scores.append(
                TaskScore(
                    kata.name,
                    task.number,
                    task.title,
                    float(task.points),
                    len(mine),
                    sum(test["outcome"] == PASSED for test in mine),
                )
            )
    return scores
