"""`katas watch [KATA]`: the learner's loop on a warm runner. Each save of a kata file runs that kata's tests
and shows their verdict about a second later; a passing kata hands over to the next one not known solved.

Keys, when stdin is a terminal (as in rustlings): h the current task's hint, n the next kata, l the
progress list, r run again, q quit. Ctrl-C ends it at any moment. A change to the course's own code
(tests/, katakit/, conftest.py, pyproject.toml, the manifest) restarts the warm runner, so that no run ever
uses test code older than the files.
"""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import sys
import threading
from pathlib import Path

from katakit.i18n import N_, _, wrapped
from katakit.manifest import MANIFEST_PATH, Kata
from katakit.outcomes import SOLVED, progress
from katakit.runner import RunnerFailed, open_runner
from katakit.runs import Learner

KEYS = N_("h hint · n next kata · l list · r run again · q quit")
COURSE_CODE = ("tests", "katakit", "conftest.py", "pyproject.toml", str(MANIFEST_PATH))
SAVE, COURSE_CHANGED, KEY = "save", "course", "key"


class Watch:
    def __init__(self, learner: Learner, start: Kata | None, out=None):
        self.learner = learner
        self.course = learner.course
        self.out = out or sys.stdout
        self.current = start
        self.events: queue.Queue[tuple[str, object]] = queue.Queue()
        self.stop = threading.Event()
        self.running = False
        self.runner = None
        self.keys = sys.stdin.isatty() and os.name == "posix"
        self.task = None  # the current kata's first open task, after its last run
        self.at_line_start = True

    def main(self) -> int:
        try:
            with self._terminal_keys():
                self._watch_files()
                self.say(
                    _(
                        "starting: importing torch and transformers once, then each save is checked in about a "
                        "second. Ctrl-C stops."
                    )
                )
                self._start_runner()
                self.current = self.current or self.learner.current()
                self.check_current()
                while not self.stop.is_set():
                    self.handle(*self._next_event())
        except KeyboardInterrupt:
            self.out.write("\n")
        finally:
            self.stop.set()
            if self.runner is not None:
                self.runner.close()
        self.say(_("stopped."))
        return 0

    # --- what happens

    def handle(self, kind: str, what) -> None:
        if kind == SAVE:
            self.current = what
            self.check_current()
        elif kind == COURSE_CHANGED:
            self.say(_("{what} changed: restarting the warm runner, so that the tests run as they are now.", what=what))
            self.runner.close()
            self._start_runner()
            self.check_current()
        elif kind == KEY:
            self.on_key(what)

    def on_key(self, key: str) -> None:
        if key == "q":
            self.stop.set()
        elif key == "r":
            self.check_current()
        elif key == "n":
            katas = list(self.course.katas)
            self.current = katas[(katas.index(self.current) + 1) % len(katas)] if self.current else katas[0]
            self.check_current()
        elif key == "h":
            self.show_hint()
        elif key == "l":
            self.show_list()

    def check_current(self) -> None:
        """Run the current kata's tests; on to the next kata not known solved while they pass."""
        while self.current is not None and not self.stop.is_set():
            kata = self.current
            self.say(
                _(
                    "kata {number} {kata}: pytest {test_file}",
                    number=self.number(kata),
                    kata=kata.name,
                    test_file=kata.test_file,
                ),
                rule=True,
            )
            run = self.run([kata], "--no-header", *self._colour(), again=True)
            if run is None:  # cancelled by a newer save or a key: that event comes next
                return
            if problem := run.problem():
                self.task = None
                self.say(_("kata {kata}: the run {problem}", kata=kata.name, problem=problem))
                break
            entry = next(iter(progress(self.course, run.results, run.complete_katas)), None)
            self.task = entry.first_open_task if entry is not None else None
            if entry is None or entry.status != SOLVED:
                break
            self.say(_("kata {number} {kata} is solved!", number=self.number(kata), kata=kata.name))
            self.current = self.learner.current(after=kata)
        if self.current is None:
            self.say(_("all {count} katas solved. Well done! Still watching; q quits.", count=len(self.course.katas)))
        elif not self.stop.is_set():
            self.say(
                _("save {file} to check it again; keys: {keys}", file=self._file(self.current), keys=_(KEYS))
                if self.keys
                else _("save {file} to check it again; Ctrl-C stops.", file=self._file(self.current))
            )

    def show_hint(self) -> None:
        if self.current is None:
            return
        kata = self.current
        task = kata.task(self.task or 1)
        self.write(
            _(
                "Hint for kata {number} {kata}, task {task}: {title}",
                number=self.number(kata),
                kata=kata.name,
                task=task.number,
                title=_(task.title),
            )
            + "\n"
            + "".join(f"  {line}\n" for line in _wrapped(_(task.hint)))
            + "".join(_("  Docs: {link}", link=link) + "\n" for link in kata.docs[:1])
        )

    def show_list(self) -> None:
        stale = self.learner.stale()
        if stale:
            self.say(_("checking {count} kata(s) whose files changed since their last run ...", count=len(stale)))
            self.run(stale, "-q", "--no-header", quiet=True)
        self.learner.write_progress(self.out)

    # --- the runner

    def run(self, katas: list[Kata], *options: str, quiet: bool = False, again: bool = False):
        """One run on the warm runner, its output on the screen (unless quiet); None if it was cancelled."""
        sink = (lambda data: None) if quiet else self._write_bytes
        env = {"COLUMNS": str(shutil.get_terminal_size().columns)}
        self.running = True
        try:
            run = self.runner.run(self.learner.pytest_args(katas, *options), sink, self.learner.limits(), env, again)
        except RunnerFailed as error:
            self.say(f"{error}\n" + _("restarting it ..."))
            self.runner.close()
            self._start_runner()
            return None
        finally:
            self.running = False
        if run.stopped in ("cancelled", "closed"):
            return None
        return run

    def _start_runner(self) -> None:
        self.runner = open_runner(self.course.root, self.learner.environment())
        try:
            self.runner.wait_ready()
        except RunnerFailed as error:
            raise SystemExit(f"katas watch: {error}") from None

    # --- events: file saves (a thread), keys (a thread), both into one queue

    def _next_event(self) -> tuple[str, object]:
        while True:
            try:
                return self.events.get(timeout=0.2)
            except queue.Empty:
                if self.stop.is_set():
                    return KEY, "q"

    def _post(self, kind: str, what) -> None:
        self.events.put((kind, what))
        if self.running and (kind in (SAVE, COURSE_CHANGED) or (kind == KEY and what == "q")):
            self.runner.cancel()  # its verdict would be out of date, or nobody waits for it

    def _watch_files(self) -> None:
        from watchfiles import watch

        root = self.course.root
        code = [root / part for part in COURSE_CODE if (root / part).exists()]
        katas = {(self.learner.target / kata.file).resolve(): kata for kata in self.course.katas}
        manifest = (root / MANIFEST_PATH).resolve()

        def changed(paths: set[Path]) -> None:
            for path in sorted(paths):
                if path in katas:
                    self._post(SAVE, katas[path])
                elif path == manifest or (path.suffix in (".py", ".toml") and "__pycache__" not in path.parts):
                    self._post(COURSE_CHANGED, _relative(path, root))
                    return

        def follow() -> None:
            for changes in watch(
                self.learner.target,
                *code,
                stop_event=self.stop,
                step=30,
                debounce=400,
                rust_timeout=500,
                yield_on_timeout=False,
                raise_interrupt=False,
            ):
                changed({Path(path).resolve() for _change, path in changes})

        threading.Thread(target=follow, name="katas-watch-files", daemon=True).start()

    @contextlib.contextmanager
    def _terminal_keys(self):
        if not self.keys:
            yield
            return
        import termios
        import tty

        fd = sys.stdin.fileno()
        saved = termios.tcgetattr(fd)
        tty.setcbreak(fd)  # keys arrive one by one, unechoed; Ctrl-C still interrupts

        def read_keys() -> None:
            while not self.stop.is_set():
                key = os.read(fd, 1).decode(errors="replace").lower()
                if key in "hnlrq":
                    self._post(KEY, key)

        threading.Thread(target=read_keys, name="katas-watch-keys", daemon=True).start()
        try:
            yield
        finally:
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)

    # --- what the learner reads

    def say(self, text: str, rule: bool = False) -> None:
        line = f"katas watch: {text}"
        if rule:
            line = f"\n{line} " + "─" * max(0, 79 - len(line))
        self.write(line + "\n")

    def write(self, block: str) -> None:
        """A block of lines, on a line of its own: a run cut short may have left its last line open."""
        self.out.write(("" if self.at_line_start else "\n") + block)
        self.out.flush()
        self.at_line_start = True

    def _write_bytes(self, data: bytes) -> None:
        if data:
            self.at_line_start = data.endswith(b"\n")
        self.out.flush()
        buffer = getattr(self.out, "buffer", None)
        if buffer is not None:
            buffer.write(data)
            buffer.flush()
        else:
            self.out.write(data.decode(errors="replace"))

    def _colour(self) -> list[str]:
        return ["--color=yes"] if self.out.isatty() and "NO_COLOR" not in os.environ else []

    def number(self, kata: Kata) -> int:
        return self.course.katas.index(kata) + 1

    def _file(self, kata: Kata) -> str:
        return f"{self.learner.label}/{kata.file}"


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _wrapped(text: str) -> list[str]:
    return wrapped(text, 76)
