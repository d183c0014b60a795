"""The event stream of a run (`pytest --katas-events=PATH`): one JSON line per event, appended as tests run,
so that whoever started the run knows how far it got even when it never finished.

Lines, in order: {"event": "collected", "tests": [[nodeid, kata, task], ...]}; per test {"event": "start",
"nodeid"} and {"event": "result", nodeid, kata, task, outcome, message, duration}; {"event": "interrupted"}
when a KeyboardInterrupt stopped the session; {"event": "finished", "exitstatus", "complete": [kata, ...]}
last. A stream without "finished" belongs to a run that crashed, exited or was stopped, in the test of the
last "start" without a "result".
"""

from __future__ import annotations

import json
from pathlib import Path


class EventStream:
    """The pytest plugin that writes the stream (registered by katakit.plugin for `--katas-events`)."""

    def __init__(self, run, path: Path):
        self.run = run  # katakit.plugin.KataRun
        self.file = open(path, "a", buffering=1, encoding="utf-8")  # noqa: SIM115 (open for the whole run)

    def emit(self, **line) -> None:
        self.file.write(json.dumps(line) + "\n")

    def pytest_collection_finish(self, session):
        self.emit(event="collected", tests=[[nodeid, *where] for nodeid, where in self.run.task_of_test.items()])

    def pytest_runtest_logstart(self, nodeid):
        if nodeid in self.run.task_of_test:
            self.emit(event="start", nodeid=nodeid)

    def pytest_runtest_logfinish(self, nodeid):
        result = self.run.results.get(nodeid)
        if result is not None:
            self.emit(event="result", **vars(result))

    def pytest_keyboard_interrupt(self, excinfo):
        self.emit(event="interrupted")

    def pytest_sessionfinish(self, session, exitstatus):
        self.emit(event="finished", exitstatus=int(exitstatus), complete=sorted(self.run.complete_katas()))

    def pytest_unconfigure(self, config):
        self.file.close()


def read_events(path: Path) -> list[dict]:
    """The stream's lines, up to the first that a crash cut short."""
    lines = []
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return lines
    for raw in text.splitlines():
        try:
            line = json.loads(raw)
        except ValueError:
            break
        if isinstance(line, dict) and "event" in line:
            lines.append(line)
    return lines
