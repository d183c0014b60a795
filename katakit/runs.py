"""The learner's runs, for the `katas` command: which kata is current, what is remembered, and the pytest
arguments, environment and limits of a run. The runs themselves go through katakit.runner."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from katakit.i18n import _
from katakit.manifest import Course, Kata
from katakit.outcomes import KataProgress
from katakit.profiles import PROFILE_ENV, WAIT_FACTOR, examples_of
from katakit.progress import first_not_known_solved, fresh_progress, store_for
from katakit.runner import Limits

# How long a run may go without any test ending, against the plugin's own per-test time limit (which
# stops an endless loop in Python): past this, only a hang that limit cannot stop is left.
# No sign of life for longer than the plugin's longest limit on one test (a busy machine's), and more.
STALL_FACTOR, STALL_MARGIN_S = WAIT_FACTOR + 0.5, 5.0
# Processes that share a learner's run (katakit.runner.split), at most one per core: a kata's tests are seconds of
# work on one core, and the learner waits for all of them.
WORKERS = 4


@dataclass(frozen=True)
class Learner:
    course: Course
    katas_dir: Path | None = None  # None: the course's katas/

    @property
    def target(self) -> Path:
        return self.katas_dir or self.course.root / "katas"

    @property
    def label(self) -> str:
        return str(self.katas_dir) if self.katas_dir else "katas"

    @property
    def store(self) -> Path:
        return store_for(self.course, self.target)

    def known(self) -> dict[str, KataProgress]:
        """The remembered progress of every kata whose files did not change since it last ran whole."""
        return fresh_progress(self.course, self.target, self.store)

    def current(self, after: Kata | None = None) -> Kata | None:
        """The first kata (after `after`, then from the start) not known to be solved."""
        return first_not_known_solved(self.course, self.known(), after)

    def stale(self) -> list[Kata]:
        known = self.known()
        return [kata for kata in self.course.katas if kata.name not in known]

    def write_progress(self, out) -> None:
        """The progress table of every kata with a remembered result, and a line for each without one."""
        from katakit.summary import PlainTerminal, write_summary

        known = self.known()
        entries = [known[kata.name] for kata in self.course.katas if kata.name in known]
        if entries:
            write_summary(PlainTerminal(out), self.course, entries, self.label, known)
        for kata in self.course.katas:
            if kata.name not in known:
                out.write(
                    _(
                        "katas: kata {kata} has no result: its tests did not all run (`katas next {kata}`)",
                        kata=kata.name,
                    )
                    + "\n"
                )
        out.flush()

    def pytest_args(self, katas: list[Kata], *options: str) -> list[str]:
        # One token each: a separate PATH would be taken for a test path before the plugin is loaded.
        target = [f"--katas-dir={self.katas_dir}", f"--katas-progress={self.store}"] if self.katas_dir else []
        return [*target, f"--katas-workers={WORKERS}", *options, *(kata.test_file for kata in katas)]

    def environment(self) -> dict[str, str]:
        # The quick hypothesis profile unless the learner picked one: this loop runs every minute.
        return {PROFILE_ENV: "dev", **os.environ}

    def limits(self) -> Limits:
        return Limits(stall_seconds=self._test_time_limit() * STALL_FACTOR + STALL_MARGIN_S)

    def _test_time_limit(self) -> float:
        """The plugin's limit for one kata test (katakit.plugin.kata_time_limit), read without pytest."""
        try:
            settings = tomllib.loads((self.course.root / "pyproject.toml").read_text(encoding="utf-8"))
            timeout = float(settings["tool"]["pytest"]["ini_options"]["timeout"])
        except (OSError, KeyError, ValueError, tomllib.TOMLDecodeError):
            timeout = 10.0
        profile = self.environment()[PROFILE_ENV]
        return timeout * max(1.0, examples_of(profile) / examples_of("dev"))
