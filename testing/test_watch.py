"""`katas watch`, run as the learner runs it in a copy of the course: a save runs the kata saved, a passing
kata hands over to the next, faults get one line and the next save is checked, a change to the course's
code restarts the warm runner, keys work on a terminal, Ctrl-C ends it cleanly at any moment."""

from __future__ import annotations

import fcntl
import os
import pty
import queue
import select
import shutil
import signal
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

import pytest
from course_runs import learner_env
from test_cli import copy_course

from katakit.manifest import load_course

pytestmark = pytest.mark.timeout(600)
BANNER = "katas watch: kata "
WAITING = "to check it again"
KEYS_SHOWN = "r run again · q quit"  # the end of the waiting line on a terminal


def banner(course, number: int) -> str:
    return f"{BANNER}{number} {course.katas[number - 1].name}: "


class WatchSession:
    """`python -m katakit.cli watch ARGS` in a course copy, its output read line by line as it comes."""

    def __init__(self, root: Path, *args: str, runner: str = ""):
        env = learner_env(KATAS_HYPOTHESIS_PROFILE="dev", KATAS_RUNNER=runner)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "katakit.cli", "watch", *args],
            cwd=root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(line)

    def wait_for(self, text: str, timeout: float = 120) -> list[str]:
        """The lines up to and including the first one with `text`."""
        start, deadline = len(self.seen), time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                continue
            self.seen.append(line)
            if text in line:
                return self.seen[start:]
        pytest.fail(f"no line with {text!r} within {timeout} s; output so far:\n{''.join(self.seen)}")

    def interrupt(self) -> int:
        os.killpg(self.process.pid, signal.SIGINT)  # as Ctrl-C does: the whole foreground group
        code = self.process.wait(timeout=30)
        time.sleep(0.5)  # the reader thread takes the last lines
        while not self.lines.empty():
            self.seen.append(self.lines.get_nowait())
        return code

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def save(path: Path, text: str) -> None:
    time.sleep(0.3)  # the watcher batches events that come within a few tens of milliseconds
    path.write_text(text)


@pytest.fixture
def course_copy(tmp_path) -> Path:
    root = copy_course(tmp_path)
    # A short per-test limit, so that a kata that hangs past it is stopped within seconds here.
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace("\ntimeout = 10\n", "\ntimeout = 4\n"))
    return root


def test_watch_follows_the_saved_kata_survives_faults_and_restarts_on_course_changes(course_copy):
    root, course = course_copy, load_course(course_copy)
    solution = {kata.name: (root / "solutions" / kata.file).read_text() for kata in course.katas}
    kata_file = {kata.name: root / "katas" / kata.file for kata in course.katas}
    shutil.copy(root / "solutions" / course.katas[0].file, kata_file["pipeline"])
    session = WatchSession(root)
    try:
        block = session.wait_for(banner(course, 2))  # kata 1 ran, passed: kata 2 is next
        assert any(banner(course, 1) in line for line in block) and any("is solved!" in line for line in block)
        block = session.wait_for(WAITING)
        assert sum(line.startswith("Next:") for line in block) == 1, "the Next block must be printed once"

        # Kata 8 saved while 2-7 are unsolved: kata 8 runs, passes, and kata 9 is next.
        save(kata_file["sequence_classification"], solution["sequence_classification"])
        block = session.wait_for(banner(course, 9))
        assert banner(course, 8) in "".join(block) and banner(course, 2) not in "".join(block)
        session.wait_for(WAITING)

        # Ends of the process that katakit.guards cannot turn into a failing test (libc's _exit, a SIGINT).
        faults = {
            "import ctypes\nctypes.CDLL(None)._exit(0)\n": "exit code 0 before the tests were done",
            "import os, signal, time\nos.kill(os.getpid(), signal.SIGINT)\ntime.sleep(5)\n": (
                "KeyboardInterrupt raised in the kata's code"
            ),
            (
                "import signal, time\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\nwhile True:\n    time.sleep(0.1)\n"
            ): "no test ended for",
        }
        for fault, said in faults.items():
            save(kata_file["token_classification"], fault)
            block = session.wait_for(WAITING, timeout=60)
            problem = [line for line in block if line.startswith("katas watch: kata token_classification: the run")]
            assert len(problem) == 1 and said in problem[0], "".join(block)
            assert "Traceback" not in "".join(block)

        save(kata_file["token_classification"], solution["token_classification"])  # the next save is checked
        block = session.wait_for(banner(course, 10))
        assert any("token_classification is solved!" in line for line in block), "".join(block)
        session.wait_for(WAITING)

        test_file = root / course.katas[9].test_file
        save(test_file, test_file.read_text() + "\n")
        block = session.wait_for(WAITING)
        assert any("restarting the warm runner" in line for line in block), "".join(block)
        assert banner(course, 10) in "".join(block)
        assert session.interrupt() == 0
    finally:
        session.stop()
    assert "Traceback" not in "".join(session.seen)
    assert session.seen[-1].strip() == "katas watch: stopped.", session.seen[-3:]


def test_watch_starts_at_the_kata_named_by_file_name_also_without_fork(course_copy):
    course = load_course(course_copy)
    # Where fork is not to be used (macOS, Windows), each check is a plain pytest process, with the same output.
    session = WatchSession(course_copy, "katas/12_image_classification.py", runner="subprocess")
    try:
        block = session.wait_for(WAITING)
        banners = [line for line in block if line.startswith(BANNER)]
        assert banners and banners[0].startswith(banner(course, 12)), "".join(block)
    finally:
        session.stop()


class TerminalSession:
    """`katas watch` on a pseudo-terminal that is its controlling terminal, as in a learner's shell."""

    def __init__(self, root: Path, *args: str):
        self.master, slave = pty.openpty()

        def on_the_terminal():
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.process = subprocess.Popen(
            [sys.executable, "-m", "katakit.cli", "watch", *args],
            cwd=root,
            env=learner_env(KATAS_HYPOTHESIS_PROFILE="dev", TERM="dumb"),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            preexec_fn=on_the_terminal,
        )
        os.close(slave)
        self.output = ""

    def wait_for(self, text: str, timeout: float = 120) -> str:
        """The output after the previous wait up to and including `text`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.output.find(text)
            if found >= 0:
                block, self.output = self.output[: found + len(text)], self.output[found + len(text) :]
                return block
            if select.select([self.master], [], [], 0.2)[0]:
                try:
                    self.output += os.read(self.master, 1 << 16).decode(errors="replace")
                except OSError:
                    break
        pytest.fail(f"no {text!r} within {timeout} s; output:\n{self.output}")

    def press(self, key: bytes) -> None:
        os.write(self.master, key)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        os.close(self.master)


def test_watch_keys_on_a_terminal_and_ctrl_c(course_copy):
    course = load_course(course_copy)
    session = TerminalSession(course_copy, "5")
    try:
        block = session.wait_for(KEYS_SHOWN)
        assert banner(course, 5) in block and "h hint" in block
        session.press(b"h")
        block = session.wait_for(f"Hint for kata 5 {course.katas[4].name}, task 1")
        assert BANNER not in block, "h only shows the hint"
        session.press(b"n")
        block = session.wait_for(KEYS_SHOWN)
        assert banner(course, 6) in block, block
        session.press(b"l")
        block = session.wait_for("Tasks: 0 of 55 solved.")
        assert all(f"{n:>2}. {kata.name}" in block for n, kata in enumerate(course.katas, start=1)), block
        session.wait_for("Docs: ")  # the end of the list's Next block
        session.press(b"r")
        block = session.wait_for(KEYS_SHOWN)
        assert banner(course, 6) in block and block.count("Next:") == 1, block
        session.press(b"q")
        session.wait_for("katas watch: stopped.", timeout=15)
        assert session.process.wait(timeout=15) == 0
        assert "Traceback" not in session.output
    finally:
        session.close()

    early = TerminalSession(course_copy)
    try:
        early.wait_for("katas watch: starting")
        time.sleep(1)
        early.press(b"\x03")  # Ctrl-C while the warm runner imports
        early.wait_for("katas watch: stopped.", timeout=15)
        assert early.process.wait(timeout=15) == 0
        assert "Traceback" not in early.output
    finally:
        early.close()
