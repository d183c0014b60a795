"""The progress table shown after every run, fitted to an 80-column terminal."""

from __future__ import annotations

import sys

from katakit.i18n import _, columns, padded, shortened, wrapped
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
        fill = max(WIDTH - columns(title) - 2, 2) // 2
        line = f"{sep * fill} {title} {sep * fill}"
        self.stream.write(line + sep * max(WIDTH - columns(line), 0) + "\n")


def write_summary(
    terminal, course: Course, katas: list[KataProgress], target_label: str, known: dict[str, KataProgress] | None = None
) -> None:
    """The table of the katas that ran, then what to do next (`known`: remembered progress of the others)."""
    _rule(terminal, _("transformers-katas: your progress"))
    number_of = {kata.name: index for index, kata in enumerate(course.katas, start=1)}
    name_width = 5 + max(len(kata.name) for kata in course.katas)  # "12. name "
    status_width = 1 + max(columns(_(status)) for status in COLOUR)
    tasks_width = 10
    title_width = WIDTH - name_width - status_width - tasks_width - 1
    for entry in katas:
        name = f"{number_of[entry.kata.name]:>2}. {entry.kata.name}"
        tasks = _("{solved}/{total} tasks", solved=entry.solved_tasks, total=len(entry.kata.tasks))
        terminal.write(f"{name:<{name_width}}")
        terminal.write(padded(_(entry.status), status_width), **COLOUR[entry.status])
        title = shortened(_(entry.kata.title), title_width) if title_width >= 12 else ""
        terminal.write_line(f"{padded(tasks, tasks_width)}{title}".rstrip())
    counts = {status: sum(entry.status == status for entry in katas) for status in COLOUR}
    solved_tasks = sum(entry.solved_tasks for entry in katas)
    all_tasks = sum(len(entry.kata.tasks) for entry in katas)
    partly = _(", {count} partly run", count=counts[PARTLY_RUN]) if counts[PARTLY_RUN] else ""
    terminal.write_line(
        _(
            "Katas: {solved} solved, {failing} failing{partly}, {not_started} not started. "
            "Tasks: {solved_tasks} of {all_tasks} solved.",
            solved=counts[SOLVED],
            failing=counts[FAILING],
            partly=partly,
            not_started=counts[NOT_STARTED],
            solved_tasks=solved_tasks,
            all_tasks=all_tasks,
        )
    )
    for line in next_steps(course, katas, target_label, known):
        terminal.write_line(line, bold=line.startswith(_("Next:")))


def _rule(terminal, title: str) -> None:
    """The summary's header rule. pytest counts a title's characters, and Hangul takes two columns each: a wide
    title gets a rule measured in columns, as wide as pytest's own."""
    if columns(title) == len(title):
        terminal.write_sep("=", title, cyan=True, bold=True)
        return
    width = getattr(getattr(terminal, "_tw", None), "fullwidth", WIDTH)
    fill = "=" * max((width - columns(title) - 2) // 2, 1)
    line = f"{fill} {title} {fill}"
    terminal.write_line(line + "=" * max(width - columns(line), 0), cyan=True, bold=True)


def next_steps(
    course: Course, katas: list[KataProgress], target_label: str, known: dict[str, KataProgress] | None = None
) -> list[str]:
    """What to do next: the first kata of this run that is not solved, its open task and that task's hint;
    when every kata that ran is solved, the next kata not known to be solved (`known`: remembered progress)."""
    upcoming = next((entry for entry in katas if entry.status != SOLVED), None)
    if upcoming is None and known is None:  # nothing remembered for this target (--solutions, another folder)
        if len(katas) < len(course.katas):
            return [_("Every kata that ran is solved. Run `pytest` to check the whole course.")]
        return [_("All {count} katas solved. Well done!", count=len(course.katas))]
    if upcoming is None:
        remembered = {**(known or {}), **{entry.kata.name: entry for entry in katas}}
        kata = first_not_known_solved(course, remembered, after=katas[-1].kata if katas else None)
        if kata is None:
            return [_("All {count} katas solved. Well done!", count=len(course.katas))]
        if kata.name not in remembered:
            return wrapped(
                _(
                    "{next} {file} ({title}): its tests have not run since it last changed; `katas next` runs them.",
                    next=_("Next:"),
                    file=f"{target_label}/{kata.file}",
                    title=_(kata.title),
                ),
                WIDTH,
                "      ",
            )
        upcoming = remembered[kata.name]
    if upcoming.first_open_task is None:  # partly run: every test that ran passed
        return wrapped(
            _(
                "{next} {file}: not all of its tests ran; `pytest {test_file}` runs them all.",
                next=_("Next:"),
                file=f"{target_label}/{upcoming.kata.file}",
                test_file=upcoming.kata.test_file,
            ),
            WIDTH,
            "      ",
        )
    task = upcoming.kata.task(upcoming.first_open_task)
    lines = wrapped(
        _(
            "{next} {file}, task {number}: {title}",
            next=_("Next:"),
            file=f"{target_label}/{upcoming.kata.file}",
            number=task.number,
            title=_(task.title),
        ),
        WIDTH,
        "      ",
    )
    hint = _("  Hint: ")
    lines += wrapped(_(task.hint), WIDTH, " " * columns(hint), first=hint)
    lines += [_("  Docs: {link}", link=link) for link in upcoming.kata.docs[:1]]
    return lines
