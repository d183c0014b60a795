"""The progress table shown after every run, fitted to an 80-column terminal."""

from __future__ import annotations

import sys
import textwrap

from katakit.manifest import Course
from katakit.outcomes import FAILING, NOT_STARTED, PARTLY_RUN, SOLVED, KataProgress
from katakit.progress import first_not_known_solved

WIDTH = 80
COLOUR = {SOLVED: {"green": True}, FAILING: {"red": True}, NOT_STARTED: {"yellow": True}, PARTLY_RUN: {"yellow": True}}


class PlainTerminal:
    """The part of pytest's terminal reporter that `write_summary` uses, for the `katas` command."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def write(self, text: str, **markup) -> None:
        self.stream.write(text)

    def write_line(self, line: str, **markup) -> None:
        self.stream.write(line + "\n")

    def write_sep(self, sep: str, title: str, **markup) -> None:
        fill = max(WIDTH - len(title) - 2, 2) // 2
        self.stream.write(f"{sep * fill} {title} {sep * fill}".ljust(WIDTH, sep) + "\n")


def write_summary(
    terminal, course: Course, katas: list[KataProgress], target_label: str, known: dict[str, KataProgress] | None = None
) -> None:
    """The table of the katas that ran, then what to do next (`known`: remembered progress of the others)."""
    terminal.write_sep("=", "transformers-katas: your progress", cyan=True, bold=True)
    number_of = {kata.name: index for index, kata in enumerate(course.katas, start=1)}
    name_width = 5 + max(len(kata.name) for kata in course.katas)  # "12. name "
    title_width = WIDTH - name_width - 12 - 10 - 1
    for entry in katas:
        name = f"{number_of[entry.kata.name]:>2}. {entry.kata.name}"
        tasks = f"{entry.solved_tasks}/{len(entry.kata.tasks)} tasks"
        terminal.write(f"{name:<{name_width}}")
        terminal.write(f"{entry.status:<12}", **COLOUR[entry.status])
        title = textwrap.shorten(entry.kata.title, title_width) if title_width >= 12 else ""
        terminal.write_line(f"{tasks:<10}{title}".rstrip())
    counts = {status: sum(entry.status == status for entry in katas) for status in COLOUR}
    solved_tasks = sum(entry.solved_tasks for entry in katas)
    all_tasks = sum(len(entry.kata.tasks) for entry in katas)
    partly = f", {counts[PARTLY_RUN]} partly run" if counts[PARTLY_RUN] else ""
    terminal.write_line(
        f"Katas: {counts[SOLVED]} solved, {counts[FAILING]} failing{partly}, {counts[NOT_STARTED]} not started. "
        f"Tasks: {solved_tasks} of {all_tasks} solved."
    )
    for line in next_steps(course, katas, target_label, known):
        terminal.write_line(line, bold=line.startswith("Next"))


def next_steps(
    course: Course, katas: list[KataProgress], target_label: str, known: dict[str, KataProgress] | None = None
) -> list[str]:
    """What to do next: the first kata of this run that is not solved, its open task and that task's hint;
    when every kata that ran is solved, the next kata not known to be solved (`known`: remembered progress)."""
    upcoming = next((entry for entry in katas if entry.status != SOLVED), None)
    if upcoming is None and known is None:  # nothing remembered for this target (--solutions, another folder)
        if len(katas) < len(course.katas):
            return ["Every kata that ran is solved. Run `pytest` to check the whole course."]
        return [f"All {len(course.katas)} katas solved. Well done!"]
    if upcoming is None:
        remembered = {**(known or {}), **{entry.kata.name: entry for entry in katas}}
        kata = first_not_known_solved(course, remembered, after=katas[-1].kata if katas else None)
        if kata is None:
            return [f"All {len(course.katas)} katas solved. Well done!"]
        if kata.name not in remembered:
            return textwrap.wrap(
                f"Next: {target_label}/{kata.file} ({kata.title}): its tests have not run since it "
                f"last changed; `katas next` runs them.",
                WIDTH,
                subsequent_indent="      ",
            )
        upcoming = remembered[kata.name]
    if upcoming.first_open_task is None:  # partly run: every test that ran passed
        return textwrap.wrap(
            f"Next: {target_label}/{upcoming.kata.file}: not all of its tests ran; "
            f"`pytest {upcoming.kata.test_file}` runs them all.",
            WIDTH,
            subsequent_indent="      ",
        )
    task = upcoming.kata.task(upcoming.first_open_task)
    lines = textwrap.wrap(
        f"Next: {target_label}/{upcoming.kata.file}, task {task.number}: {task.title}",
        WIDTH,
        subsequent_indent="      ",
    )
    lines += textwrap.wrap(task.hint, WIDTH, initial_indent="  Hint: ", subsequent_indent="        ")
    lines += [f"  Docs: {link}" for link in upcoming.kata.docs[:1]]
    return lines
