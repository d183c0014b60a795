"""One run's tests shared out over forked workers (`pytest --katas-workers=N`), reported as one sequential run
would report them.

Once pytest has collected the tests, the process becomes the *controller*: it forks the workers, copies of
itself that have collected the same tests (a warm runner's child does so before its gate, so that a standby's
workers wait ready too, katakit.runner.child). Once the run goes, each worker takes the next
test not yet taken (a shared queue of test indices, so that a slow test does not hold up the others), runs
it with pytest's own protocol in its own process, and sends the controller each event of it: the start,
every report (serialised as pytest-xdist does), the warnings, the finish. The controller runs no test: it
replays the events into its own pytest session *in collection order*, so that its terminal output, summary,
exit status, event stream and progress store are those of a sequential run of the same tests.

A worker that dies (a crash, an exit below Python, a kill) ends the run as a sequential run would have ended
in the test it was running: the controller reports every test before it, says that test started, and dies
the same way (katakit.runner.client.Run.problem then tells the learner). A worker shares the controller's
process group, so a run stopped by its runner (output flood, stall, cancel) stops every worker with it.

Two things a split run cannot share as one process does, each only for a kata that is wrong already: a task's
timeouts are counted per worker (katakit.plugin stops running a task's tests after two, in each worker), and a
kata that writes into a model folder may make another worker's test that loads it meanwhile fail too.
"""

from __future__ import annotations

import importlib
import json
import os
import random
import select
import signal
import struct
import sys
import warnings

import pytest

from katakit.runner.frames import read_frame, write_frame

SPLIT_PLUGIN = "katas-split"
EVENT = b"E"
_INDEX = struct.Struct(">I")
MAX_TESTS = 60_000 // _INDEX.size  # the queue of test indices is written whole into one pipe (64 KiB)


class SplitPlugin:
    """The pytest plugin that runs the tests split over workers, registered by katakit.plugin for
    `--katas-workers=N` where fork is safe (Linux) and more than one core is free."""

    def __init__(self, workers: int):
        self.workers = workers
        self.split: Split | None = None
        self.prepared = False

    def prepare(self, session, close_in_workers: list[int] = ()) -> None:
        """Fork the workers, where a split is worth it; once."""
        if not self.prepared:
            self.prepared = True
            if Split.wanted(session, self.workers):
                self.split = Split(session, self.workers, list(close_in_workers))

    def discard(self) -> None:
        if self.split is not None:
            self.split.discard()

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session):
        self.prepare(session)
        if self.split is None:
            return None  # pytest's own loop
        self.split.go()
        return self.split.run(session)


def workers_for(requested: int) -> int:
    """How many workers a run may use: as asked, at most one per core this process may run on."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    return max(1, min(requested, cores))


class Split:
    """The controller's side: the workers it forked, and the replay of their events in collection order."""

    def __init__(self, session, workers: int, close_in_workers: list[int]):
        self.session, self.config = session, session.config
        self.items = list(session.items)
        self.workers: dict[int, _Worker] = {}  # message fd -> worker
        self.events: list[list[tuple]] = [[] for _ in self.items]  # per test, its events not yet replayed
        self.next = 0  # the first test whose events are not all replayed
        claims_r, claims_w = os.pipe()
        os.write(claims_w, b"".join(_INDEX.pack(index) for index in range(len(self.items))))
        for _ in range(workers):
            siblings = [fd for other in self.workers.values() for fd in other.fds()]
            worker = _Worker.fork(session, claims_r, claims_w, [*close_in_workers, *siblings])
            self.workers[worker.messages_fd] = worker
        os.close(claims_r)
        os.close(claims_w)  # the queue ends once the workers have taken every index

    @classmethod
    def wanted(cls, session, workers: int) -> bool:
        """Worth it, and safe: more than one test, no collection error, tests to run rather than list."""
        option = session.config.option
        return (
            workers > 1
            and 1 < len(session.items) <= MAX_TESTS
            and not option.collectonly
            and not (session.testsfailed and not option.continue_on_collection_errors)
        )

    def go(self) -> None:
        for worker in self.workers.values():
            worker.go()

    def discard(self) -> None:
        for worker in self.workers.values():
            worker.kill()

    def run(self, session) -> bool:
        """Instead of pytest's loop: replay the workers' events as they come, each test's in its turn."""
        while self.next < len(self.items):
            self._replay_ready()
            if self.next >= len(self.items):
                break
            if not self.workers:  # every worker gone, tests left: cannot happen unless a worker broke
                raise session.Interrupted("katas: the run's workers ended before its tests were done")
            ready, _, _ = select.select(list(self.workers), [], [])
            for fd in ready:
                self._receive(self.workers[fd])
            if session.shouldfail or session.shouldstop:
                self.discard()
                if session.shouldfail:
                    raise session.Failed(session.shouldfail)
                raise session.Interrupted(session.shouldstop)
        for worker in list(self.workers.values()):
            worker.wait()
        return True

    def _receive(self, worker: _Worker) -> None:
        frame = read_frame(worker.messages_fd)
        if frame is not None:
            index, *event = json.loads(frame[1])
            if event[0] == "done":
                worker.done = True
            else:
                worker.running = index if event[0] != "finish" else None
                self.events[index].append(tuple(event))
            return
        del self.workers[worker.messages_fd]
        code = worker.wait()
        if not worker.done:
            self._end_as_the_worker_ended(worker, code)

    def _replay_ready(self) -> None:
        """Replay, in collection order, every event whose tests before it are all replayed."""
        while self.next < len(self.items):
            item, pending = self.items[self.next], self.events[self.next]
            while pending:
                kind, *payload = pending.pop(0)
                self._replay(item, kind, payload)
                if kind == "finish":
                    self.next += 1
                    break
            else:
                return

    def _replay(self, item, kind: str, payload: list) -> None:
        hook = item.ihook
        if kind == "start":
            hook.pytest_runtest_logstart(nodeid=item.nodeid, location=item.location)
        elif kind == "report":
            report = self.config.hook.pytest_report_from_serializable(config=self.config, data=payload[0])
            hook.pytest_runtest_logreport(report=report)
        elif kind == "warning":
            hook.pytest_warning_recorded.call_historic(
                kwargs=dict(
                    warning_message=_warning_from(payload[0]), nodeid=item.nodeid, when="runtest", location=None
                )
            )
        elif kind == "finish":
            hook.pytest_runtest_logfinish(nodeid=item.nodeid, location=item.location)
        elif kind == "interrupted":  # a KeyboardInterrupt that ended the worker's test: it ends the run here
            self.discard()
            raise KeyboardInterrupt

    def _end_as_the_worker_ended(self, worker: _Worker, code: int) -> None:
        """A worker died in a test: the run ends there, as a sequential run would have. What the other workers
        sent is read first, and the tests before that one that they are running finish (a worker that dies in
        one of them ends the run there instead); then the controller dies the same way."""
        crashed_in = worker.running if worker.running is not None else self.next
        for other in list(self.workers.values()):
            while other.messages_fd in self.workers and select.select([other.messages_fd], [], [], 0)[0]:
                self._receive(other)
            while other.messages_fd in self.workers and other.running is not None and other.running < crashed_in:
                self._receive(other)
            other.kill()
        self._replay_ready()
        sys.stdout.flush()
        sys.stderr.flush()
        if code < 0:
            signal.signal(-code, signal.SIG_DFL)
            os.kill(os.getpid(), -code)
        os._exit(code)


class _Worker:
    """The controller's handle on one worker."""

    def __init__(self, pid: int, messages_fd: int, go_fd: int):
        self.pid, self.messages_fd, self.go_fd = pid, messages_fd, go_fd
        self.running: int | None = None  # the index of the test it runs now, as far as its events tell
        self.done = False
        self.code: int | None = None

    @classmethod
    def fork(cls, session, claims_r: int, claims_w: int, not_its_own: list[int]) -> _Worker:
        from katakit.runner.child import fork_with_pipes

        pid, messages_r, go_w = fork_with_pipes(
            lambda messages_w, go_r: _work(session, claims_r, messages_w, go_r), [claims_w, *not_its_own]
        )
        return cls(pid, messages_r, go_w)

    def fds(self) -> tuple[int, int]:
        return self.messages_fd, self.go_fd

    def go(self) -> None:
        try:
            os.write(self.go_fd, b"g")
        except BrokenPipeError:  # it died already: its end of the message pipe says so
            pass
        os.close(self.go_fd)

    def kill(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.wait()

    def wait(self) -> int:
        if self.code is None:
            _, status = os.waitpid(self.pid, 0)
            self.code = os.waitstatus_to_exitcode(status)
        return self.code


def _work(session, claims_fd: int, messages_fd: int, go_fd: int) -> None:
    """In a worker: wait for the go, then run the next test not yet taken until none is left; never return
    into the controller's pytest session (its end belongs to the controller)."""
    from katakit.runner.child import die_with_parent

    die_with_parent()
    config = session.config
    forward = Forwarder(config, messages_fd)
    _report_only_to(config, forward)
    _capture_of_its_own(config)
    random.seed()  # its own hypothesis examples, not a copy of its sibling's
    import torch

    torch.set_num_threads(1)  # one core each: the workers are as many as the cores
    if not os.read(go_fd, 1):
        os._exit(0)  # the run was discarded before it went
    os.close(go_fd)
    items = session.items
    try:
        while (data := os.read(claims_fd, _INDEX.size)) and not (session.shouldfail or session.shouldstop):
            (index,) = _INDEX.unpack(data)
            forward.index = index
            nextitem = items[index + 1] if index + 1 < len(items) else None
            # The test before this one in collection order may have run elsewhere: what its successor kept set
            # up (a module's fixtures) and this one does not need is torn down, as pytest would have by now.
            session._setupstate.teardown_exact(items[index])
            items[index].config.hook.pytest_runtest_protocol(item=items[index], nextitem=nextitem)
    except KeyboardInterrupt:  # not one a kata raised (katakit.guards makes those fail their test): a signal
        forward.send("interrupted")
    forward.send("done")
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _report_only_to(config, forward: Forwarder) -> None:
    """The worker's reports go to the controller, which shows and records them: not to its own terminal,
    event stream or progress store."""
    from katakit.plugin import RUN

    for name in ("terminalreporter", "katas-events"):
        plugin = config.pluginmanager.get_plugin(name)
        if plugin is not None:
            config.pluginmanager.unregister(plugin)
    config.stash[RUN].in_worker = True
    config.pluginmanager.register(forward, "katas-split-forwarder")
    forward.live = True  # warnings recorded before this are the controller's, replayed to a new plugin


def _capture_of_its_own(config) -> None:
    """pytest captures each test's output in temporary files made before the fork: shared with the
    controller and the other workers, so each worker makes its own."""
    capman = config.pluginmanager.get_plugin("capturemanager")
    if capman is None or capman._global_capturing is None:
        return
    from _pytest.capture import _get_multicapture

    capman._global_capturing = _get_multicapture(capman._method)
    capman._global_capturing.start_capturing()
    capman._global_capturing.suspend_capturing()


class Forwarder:
    """The worker's pytest plugin that sends each event of its tests to the controller."""

    def __init__(self, config, messages_fd: int):
        self.config, self.messages_fd = config, messages_fd
        self.index = -1
        self.live = False

    def send(self, kind: str, *payload) -> None:
        write_frame(self.messages_fd, EVENT, json.dumps([self.index, kind, *payload]).encode())

    def pytest_runtest_logstart(self, nodeid, location):
        self.send("start")

    @pytest.hookimpl(trylast=True)
    def pytest_runtest_logreport(self, report):
        self.send("report", self.config.hook.pytest_report_to_serializable(config=self.config, report=report))

    def pytest_warning_recorded(self, warning_message, when, nodeid, location):
        if self.live and when == "runtest":
            self.send("warning", _warning_to(warning_message))

    def pytest_runtest_logfinish(self, nodeid, location):
        self.send("finish")


def _warning_to(message: warnings.WarningMessage) -> dict:
    category = message.category
    return {
        "message": str(message.message),
        "category": [category.__module__, category.__qualname__],
        "filename": message.filename,
        "lineno": message.lineno,
    }


def _warning_from(data: dict) -> warnings.WarningMessage:
    try:
        module, name = data["category"]
        category = getattr(importlib.import_module(module), name)
        text = category(data["message"])
    except Exception:  # a category that cannot be rebuilt here is shown as what it said
        category, text = UserWarning, UserWarning(data["message"])
    return warnings.WarningMessage(text, category, data["filename"], data["lineno"])
