"""The warm parent, `python -m katakit.runner.parent`: started and spoken to by `katakit.runner.WarmRunner`.

It warms up once (katakit.runner.warmup), says READY, then serves one request at a time: each run is a
forked child (katakit.runner.child) that runs pytest in the course folder and exits. The child is a copy of
the warm parent, so whatever a kata does there (models changed, torch's settings, modules patched, files
imported) dies with it; the parent itself never runs kata code and stays as it was warmed up. Protocol:
katakit.runner.frames.
"""

from __future__ import annotations

import json
import os
import resource
import select
import signal
import time
import traceback

from katakit.runner.child import Child, die_with_parent
from katakit.runner.frames import DONE, FAILED, OUTPUT, READY, write_frame
from katakit.runner.relay import CANCELLED

CLOSED = "closed"  # the client went away


def main() -> None:
    control_fd, frames_fd = os.dup(0), os.dup(1)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)  # nothing printed by mistake can break a frame; stderr stays the client's log
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the learner's Ctrl-C is for the client, which closes us
    die_with_parent()
    started = time.monotonic()
    try:
        from katakit.runner.warmup import warm_up

        warm = warm_up()
    except SystemExit as stop:  # what the environment lacks, in one line (katakit.startup, katakit.zoo)
        write_frame(frames_fd, FAILED, str(stop.code).encode())
        os._exit(1)
    except BaseException:
        write_frame(frames_fd, FAILED, traceback.format_exc().encode())
        os._exit(1)
    ready = {"pid": os.getpid(), "seconds": round(time.monotonic() - started, 2), "rss_mb": resident_mb()}
    write_frame(frames_fd, READY, json.dumps(ready).encode())
    Parent(control_fd, frames_fd, warm).serve()
    os._exit(0)


class Parent:
    def __init__(self, control_fd: int, frames_fd: int, warm):
        from katakit.runner.warmup import warm_up_the_rest

        self.control_fd, self.frames_fd, self.warm = control_fd, frames_fd, warm
        self.pending = b""
        self.closed = False
        self.standby: Child | None = None  # forked for the next run, ready up to its first test
        self.rest = warm_up_the_rest(warm)  # the second part of the warm-up, step by step; None once done
        self.runs = 0

    def serve(self) -> None:
        while not self.closed:
            request = self._next_request(block=True)
            if request is not None and request.get("warm_up"):
                self._warm_up_while_idle(at_once=True)
                write_frame(self.frames_fd, DONE, json.dumps({"rss_mb": resident_mb()}).encode())
            if request is not None and "run" in request:
                done = self.run(request["run"])
                write_frame(self.frames_fd, DONE, json.dumps(done).encode())
                self._warm_up_while_idle()
                if request["run"].get("standby") and not self.closed and self.rest is None:
                    self.standby = Child.fork(request["run"], self)
        if self.standby is not None:
            self.standby.discard()

    def run(self, request: dict) -> dict:
        """One run. With "standby" in the request, a child for the same request is then made ready ahead
        (configured, collected, waiting before its first test), so that the next such run starts at its tests."""
        child, self.standby = self.standby, None
        if child is None or not child.serves(request):
            if child is not None:
                child.discard()
            child = Child.fork(request, self)
        try:
            child.go()
            if self.rest is not None and self.runs:  # never idle since the first run (runs back to back): now
                self._warm_up_while_idle(at_once=True)
            self.runs += 1
            return child.run_to_end(self._send_output, self._should_stop)
        finally:
            child.close()

    def _warm_up_while_idle(self, at_once: bool = False) -> None:
        """The rest of the warm-up, one step at a time while no request waits (katakit.runner.warmup); `at_once`:
        all of it, while a child runs (its output waits in its pipe meanwhile)."""
        while self.rest is not None and (at_once or not self._request_waiting()):
            warmed = next(self.rest, self.warm)
            if warmed is not None:
                self.warm, self.rest = warmed, None

    def _request_waiting(self) -> bool:
        return b"\n" in self.pending or bool(select.select([self.control_fd], [], [], 0)[0])

    def inherited_fds(self) -> list[int]:
        """What a new child must close: the channel to the client, and the pipes of the standby."""
        return [self.control_fd, self.frames_fd, *(self.standby.fds() if self.standby else ())]

    def _send_output(self, data: bytes) -> None:
        if data:
            write_frame(self.frames_fd, OUTPUT, data)

    def _should_stop(self) -> str | None:
        request = self._next_request(block=False)
        if self.closed:
            return CLOSED
        return CANCELLED if request is not None and request.get("cancel") else None

    def _next_request(self, block: bool) -> dict | None:
        while b"\n" not in self.pending:
            if not block and not select.select([self.control_fd], [], [], 0)[0]:
                return None
            data = os.read(self.control_fd, 1 << 16)
            if not data:
                self.closed = True
                return None
            self.pending += data
        line, self.pending = self.pending.split(b"\n", 1)
        return json.loads(line)


def resident_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


if __name__ == "__main__":
    main()
