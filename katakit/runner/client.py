"""The runners a tool holds: `WarmRunner` (a warm parent forks a child per run) and `SubprocessRunner`
(a fresh `python -m pytest` per run). Both run `pytest ARGS` in the course folder, copy its output to a
sink within the same limits, and return the same `Run`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from katakit.i18n import N_, _
from katakit.outcomes import TestResult
from katakit.runner.confine import Confinement, confine
from katakit.runner.events import read_events
from katakit.runner.frames import DONE, OUTPUT, READY, read_frame
from katakit.runner.relay import CANCELLED, FLOODED, STALLED, Limits, kill_group, limit_memory, relay

Sink = Callable[[bytes], None]
DEFAULT_LIMITS = Limits()


class RunnerFailed(Exception):
    """The runner itself could not start or went away (not a kata's doing): the message says why."""


@dataclass
class Run:
    """How one run ended: pytest's exit code (negative: the signal that ended it), why the runner stopped
    it if it did, and its event stream (katakit.runner.events)."""

    returncode: int
    stopped: str | None = None
    events: list[dict] = field(default_factory=list)
    limits: Limits = DEFAULT_LIMITS

    @property
    def results(self) -> list[TestResult]:
        return [
            TestResult(**{key: line[key] for key in TestResult.__dataclass_fields__})
            for line in self.events
            if line["event"] == "result"
        ]

    @property
    def finished(self) -> dict | None:
        return next((line for line in self.events if line["event"] == "finished"), None)

    @property
    def complete_katas(self) -> set[str]:
        return set(self.finished["complete"]) if self.finished else set()

    @property
    def running(self) -> str | None:
        """The test that had started and not ended when the run stopped."""
        started = [line["nodeid"] for line in self.events if line["event"] == "start"]
        ended = {line["nodeid"] for line in self.events if line["event"] == "result"}
        return next((nodeid for nodeid in reversed(started) if nodeid not in ended), None)

    def problem(self) -> str | None:
        """One line on a run that did not end as a pytest run ends, or None."""
        test = self.running.partition("::")[2] or self.running if self.running else ""
        where = _(" during {test}", test=test) if test else ""
        if self.stopped == FLOODED:
            return _(
                "stopped{where}: it printed more than {mb} MB (a print in a loop?)",
                where=where,
                mb=self.limits.output_bytes // 2**20,
            )
        if self.stopped == STALLED:
            return _(
                "stopped{where}: no test ended for {seconds} s, even past the time "
                "limit (an endless loop that ignores it, or a wait that never ends?)",
                where=where,
                seconds=format(self.limits.stall_seconds, "g"),
            )
        if self.stopped:
            return _("stopped ({why})", why=self.stopped)
        if any(line["event"] == "interrupted" for line in self.events):
            return _(
                "ended{where} by a KeyboardInterrupt raised in the kata's code: the tests after it did not run",
                where=where,
            )
        if self.returncode < 0:
            return _("crashed{where}: {signal}", where=where, signal=_signal_name(-self.returncode))
        if self.finished is None:
            return _(
                "ended{where} with exit code {code} before the tests were done: does the kata "
                "call os._exit() or end the process some other way?",
                where=where,
                code=self.returncode,
            )
        return None


def _signal_name(number: int) -> str:
    import signal

    name = signal.Signals(number).name if number in signal.Signals._value2member_map_ else f"signal {number}"
    why = {"SIGKILL": N_(" (out of memory?)"), "SIGSEGV": N_(" (a segmentation fault)"), "SIGABRT": N_(" (aborted)")}
    return _("killed by {name}{why}", name=name, why=_(why[name]) if name in why else "")


class WarmRunner:
    """A warm parent process for one course folder; `run` forks a child of it per run.

    Start it from the thread that keeps it: on Linux the parent dies with that thread.
    """

    def __init__(self, root: Path, env: dict[str, str] | None = None, python_flags: tuple[str, ...] = ()):
        self.root = Path(root)
        self._log = tempfile.TemporaryFile()  # the parent's stderr: shown if it cannot start
        self.process = subprocess.Popen(
            [sys.executable, *python_flags, "-m", "katakit.runner.parent"],
            cwd=self.root,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            start_new_session=True,
        )
        self._frames = self.process.stdout.fileno()
        self._write_lock = threading.Lock()
        self.ready: dict | None = None

    def wait_ready(self) -> dict:
        """Block until the parent is warm; its pid, seconds it took and resident memory (MB)."""
        if self.ready is None:
            frame = read_frame(self._frames)
            if frame is None or frame[0] != READY:
                detail = frame[1].decode(errors="replace") if frame else self._log_tail()
                raise RunnerFailed(f"the warm runner could not start:\n{detail.strip()}")
            self.ready = json.loads(frame[1])
        return self.ready

    def warm_up_fully(self) -> None:
        """Block until the parent has done all of its warm-up (it does the second part while idle otherwise):
        for a caller whose every run is the same kind of batch work, where each first run would pay it."""
        self.wait_ready()
        self._send({"warm_up": True})
        frame = read_frame(self._frames)
        if frame is None or frame[0] != DONE:
            raise RunnerFailed(f"the warm runner went away while warming up:\n{self._log_tail()}")

    def run(
        self,
        args: list[str],
        sink: Sink,
        limits: Limits = DEFAULT_LIMITS,
        env: dict[str, str] | None = None,
        again: bool = False,
        confinement: Confinement | None = None,
    ) -> Run:
        """`again`: the same run will likely be asked for next (the kata a learner works on): the parent
        then makes its child ready ahead, so that the next run starts at its tests. `confinement`: a grading
        run's folder, file limit and network (katakit.runner.confine)."""
        self.wait_ready()
        request = {"args": list(args), "env": env or {}, "limits": asdict(limits), "standby": again}
        if confinement is not None:
            request["confine"] = confinement.as_dict()
        self._send({"run": request})
        while (frame := read_frame(self._frames)) is not None:
            kind, payload = frame
            if kind == OUTPUT:
                sink(payload)
            elif kind == DONE:
                return Run(limits=limits, **json.loads(payload))
        raise RunnerFailed(f"the warm runner went away during a run:\n{self._log_tail()}")

    def cancel(self) -> None:
        """Stop the run in progress (from another thread); `run` then returns it as cancelled."""
        self._send({"cancel": True})

    def close(self) -> None:
        try:
            self.process.stdin.close()  # the parent ends its child and itself
        except OSError:
            pass
        try:
            self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            kill_group(self.process.pid)
            self.process.wait()
        self.process.stdout.close()
        self._log.close()

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def _send(self, message: dict) -> None:
        with self._write_lock:
            try:
                self.process.stdin.write(json.dumps(message).encode() + b"\n")
                self.process.stdin.flush()
            except (BrokenPipeError, ValueError):
                pass  # it went away: `run` says so

    def _log_tail(self) -> str:
        self._log.seek(0)
        return "\n".join(self._log.read().decode(errors="replace").splitlines()[-20:])


class SubprocessRunner:
    """A fresh `python -m pytest` per run: where `fork` is not to be used, and for one-off runs."""

    def __init__(self, root: Path, env: dict[str, str] | None = None, python_flags: tuple[str, ...] = ()):
        self.root = Path(root)
        self.env = dict(os.environ if env is None else env)
        self.python_flags = python_flags
        self._cancel = threading.Event()

    def run(
        self,
        args: list[str],
        sink: Sink,
        limits: Limits = DEFAULT_LIMITS,
        env: dict[str, str] | None = None,
        again: bool = False,
        confinement: Confinement | None = None,
    ) -> Run:
        self._cancel.clear()

        def before_exec() -> None:
            limit_memory(limits)
            if confinement is not None:
                confine(confinement)

        with tempfile.TemporaryDirectory(prefix="katas-run-") as scratch:
            events = Path(scratch) / "events.jsonl"
            command = [sys.executable, *self.python_flags, "-m", "pytest", *args, f"--katas-events={events}"]
            process = subprocess.Popen(
                command,
                cwd=self.root,
                env={**self.env, **(env or {})},
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=before_exec,
            )
            try:
                code, stopped = relay(
                    _Subprocess(process),
                    process.stdout.fileno(),
                    sink,
                    limits,
                    events,
                    lambda: CANCELLED if self._cancel.is_set() else None,
                )
            finally:
                kill_group(process.pid)
                process.stdout.close()
            return Run(returncode=code, stopped=stopped, events=read_events(events), limits=limits)

    def cancel(self) -> None:
        self._cancel.set()

    def close(self) -> None:
        pass

    alive = True

    def wait_ready(self) -> dict:
        return {}

    def warm_up_fully(self) -> None:
        pass


class _Subprocess:
    def __init__(self, process: subprocess.Popen):
        self.process = process

    def poll(self) -> int | None:
        return self.process.poll()

    def kill(self) -> None:
        kill_group(self.process.pid)
        if self.process.poll() is None:  # killed before it had made its own group
            self.process.kill()
