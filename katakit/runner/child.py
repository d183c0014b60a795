"""A run's child, forked by the warm parent (katakit.runner.parent): its handle in the parent, and what it
does once forked. It configures pytest and collects its tests at once, then waits at its gate, before its
first test, until the parent says go: a child made ready ahead this way (a standby) starts the learner's
next run at its tests; one that no run wants ends at its gate, having run no test and written nothing."""

from __future__ import annotations

import os
import signal
import sys
import tempfile
import traceback
from pathlib import Path

import pytest

from katakit.runner.events import read_events
from katakit.runner.relay import Limits, kill_group, limit_memory, relay


class Child:
    def __init__(self, request: dict, pid: int, output_fd: int, go_fd: int, scratch):
        self.request, self.pid, self.output_fd, self.go_fd, self.scratch = request, pid, output_fd, go_fd, scratch
        self.events = Path(scratch.name) / "events.jsonl"
        self.limits = Limits(**request.get("limits", {}))
        self.code: int | None = None

    @classmethod
    def fork(cls, request: dict, parent, prepare=None, plugins=()) -> Child:
        """`prepare`: called in the child before pytest starts; `plugins`: pytest plugin objects for its run
        (a check in a notebook's kernel gives both, katakit.notebooks.kernel)."""
        scratch = tempfile.TemporaryDirectory(prefix="katas-run-")
        args = [*request["args"], f"--katas-events={Path(scratch.name) / 'events.jsonl'}"]
        limits = Limits(**request.get("limits", {}))
        pid, output_r, go_w = fork_with_pipes(
            lambda output_w, go_r: _become_run(
                args,
                request.get("env", {}),
                output_w,
                go_r,
                limits,
                request.get("confine"),
                parent.warm,
                prepare,
                plugins,
            ),
            parent.inherited_fds(),
        )
        _own_group(pid)  # here too: a kill that comes before the child got to it must still reach it
        return cls(request, pid, output_r, go_w, scratch)

    def run_to_end(self, send_output, should_stop=lambda: None) -> dict:
        """Copy its output to `send_output` within its limits until it ends; how it ended, with its events."""
        code, stopped = relay(self, self.output_fd, send_output, self.limits, self.events, should_stop)
        return {"returncode": code, "stopped": stopped, "events": read_events(self.events)}

    def serves(self, request: dict) -> bool:
        return self.request == request and self.poll() is None

    def go(self) -> None:
        try:
            os.write(self.go_fd, b"g")
        except BrokenPipeError:  # it ended before its gate (a usage error): its output says why
            pass

    def poll(self) -> int | None:
        if self.code is None:
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                self.code = os.waitstatus_to_exitcode(status)
        return self.code

    def kill(self) -> None:
        kill_group(self.pid)
        if self.poll() is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def fds(self) -> tuple[int, int]:
        return self.output_fd, self.go_fd

    def discard(self) -> None:
        """End a standby that no run wants."""
        self.kill()
        if self.code is None:
            os.waitpid(self.pid, 0)
        self.close()

    def close(self) -> None:
        for fd in self.fds():
            try:
                os.close(fd)
            except OSError:
                pass
        self.scratch.cleanup()


def fork_with_pipes(become, close_in_child) -> tuple[int, int, int]:
    """Fork a process that runs `become(out_w, go_r)` and never returns into the caller's code: a pipe from it
    (what it writes) and one to it (what it is told). Returns its pid and the parent's ends, out_r and go_w."""
    out_r, out_w = os.pipe()
    go_r, go_w = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        try:
            for fd in (out_r, go_w, *close_in_child):
                os.close(fd)
            become(out_w, go_r)
        finally:
            os._exit(70)
    os.close(out_w)
    os.close(go_r)
    return pid, out_r, go_w


def _own_group(pid: int) -> None:
    try:
        os.setpgid(pid, pid)
    except (PermissionError, ProcessLookupError):  # it did so itself already, or has ended
        pass


def _become_run(
    args: list[str],
    env: dict[str, str],
    output_fd: int,
    go_fd: int,
    limits: Limits,
    confinement: dict | None,
    warm,
    prepare,
    plugins,
) -> None:
    """In the child: its own process group, the output pipe as stdout and stderr, its environment and limits
    (and a grading run's confinement, katakit.runner.confine), fresh randomness, pytest."""
    from katakit.runner.confine import Confinement, confine
    from katakit.runner.warmup import fresh_process_state

    _own_group(0)
    die_with_parent()
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.dup2(output_fd, 1)
    os.dup2(output_fd, 2)
    os.close(output_fd)
    sys.stdout = open(1, "w", encoding="utf-8", errors="backslashreplace", closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)  # noqa: SIM115
    os.environ.update(env)
    tempfile.tempdir = None  # read TMPDIR again: the run's may differ from the parent's
    limit_memory(limits)
    if confinement is not None:
        confine(Confinement(**confinement))
        die_with_parent()  # again, in the new namespaces: a user namespace may not keep it
    fresh_process_state(warm)
    if prepare is not None:
        prepare()
    sys.argv = ["pytest", *args]
    try:
        code = int(pytest.main(args, plugins=[Gate(go_fd), *plugins]))
    except BaseException:
        traceback.print_exc()
        code = 3
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


class Gate:
    """The pytest plugin object that holds the child before its first test until the parent's go. A run split
    over workers (`--katas-workers`, katakit.runner.split) forks them before the gate, so that a standby's
    workers are ready too."""

    def __init__(self, go_fd: int):
        self.go_fd = go_fd

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtestloop(self, session):
        from katakit.runner.split import SPLIT_PLUGIN

        split = session.config.pluginmanager.get_plugin(SPLIT_PLUGIN)
        if split is not None:
            split.prepare(session, close_in_workers=[self.go_fd])
        if not os.read(self.go_fd, 1):
            if split is not None:
                split.discard()
            os._exit(0)  # discarded: no test ran, no result, no cache written
        os.close(self.go_fd)
        _restart_the_session_clock(session.config)
        return (yield)


def _restart_the_session_clock(config) -> None:
    """pytest's summary says how long the session took: from the go, not from when the child was made."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and hasattr(reporter, "_session_start"):
        from _pytest import timing

        reporter._session_start = timing.Instant()


def die_with_parent() -> None:
    """Linux: this process gets SIGKILL when the process that started it ends, even by `kill -9`."""
    if sys.platform != "linux":
        return
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() == 1:  # it had already gone
        os._exit(1)
