"""`katas watch` runs the current kata, waits for a save in katas/, runs it again, and moves on once it passes."""

from __future__ import annotations

import queue
import shutil
import subprocess
import sys
import threading
import time

import pytest
from course_runs import learner_env
from test_cli import copy_course

from katakit.manifest import load_course

pytestmark = pytest.mark.timeout(600)
BANNER = "katas watch: kata "


class WatchSession:
    """`python -m katakit.cli watch` in a course copy, its output read line by line as it comes."""

    def __init__(self, root):
        env = learner_env(KATAS_HYPOTHESIS_PROFILE="dev")
        self.process = subprocess.Popen([sys.executable, "-m", "katakit.cli", "watch"], cwd=root, env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(line)

    def wait_for(self, text: str, timeout: float = 240) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                continue
            self.seen.append(line)
            if text in line:
                return
        pytest.fail(f"no line with {text!r} within {timeout} s; output so far:\n{''.join(self.seen)}")

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()


def test_watch_reruns_the_current_kata_on_save_and_moves_on_when_it_passes(tmp_path):
    root = copy_course(tmp_path)
    first, second = load_course(root).katas[:2]
    shutil.copy(root / "solutions" / first.file, root / "katas" / first.file)
    session = WatchSession(root)
    try:
        session.wait_for(f"{BANNER}{second.name} ")  # kata 1 is solved: kata 2 is the current one
        session.wait_for("Hint:")  # its tests ran, failed, and its hint is shown; now it waits for a save
        time.sleep(1)
        shutil.copy(root / "solutions" / second.file, root / "katas" / second.file)  # the learner solves it
        session.wait_for(f"{BANNER}{second.name} ")  # the save reran kata 2 ...
        session.wait_for(f"{BANNER}{load_course(root).katas[2].name} ")  # ... which passed: on to kata 3
    finally:
        session.stop()
    assert not any(f"{BANNER}{first.name} " in line for line in session.seen), "it ran a kata already solved"
