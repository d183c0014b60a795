"""One run's output, copied to whoever shows it, within limits: the same code for a forked child of the
warm parent and for a plain subprocess.

A run is stopped (its whole process group killed) when it prints more than `Limits.output_bytes`, when its
event stream shows no progress for `Limits.stall_seconds` (a test that outlives even the plugin's time
limit: a loop that ignores SIGALRM, a hang inside C code), or when the caller cancels it.
"""

from __future__ import annotations

import os
import resource
import select
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

FLOODED, STALLED, CANCELLED = "flooded", "stalled", "cancelled"
# After the run's process has exited, how long output may still arrive (from a subprocess it left behind).
EXIT_GRACE_S = 0.5


@dataclass(frozen=True)
class Limits:
    stall_seconds: float = 40.0
    output_bytes: int = 4 * 2**20
    memory_mb: int | None = None  # the run's address space; None: three quarters of the machine's memory

    def memory_bytes(self) -> int:
        if self.memory_mb is not None:
            return self.memory_mb * 2**20
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") * 3 // 4


class Process(Protocol):
    def poll(self) -> int | None: ...  # the exit code (negative: the signal that ended it), None while running

    def kill(self) -> None: ...  # the process and everything it started


def relay(
    process: Process,
    output_fd: int,
    sink: Callable[[bytes], None],
    limits: Limits,
    events: Path,
    should_stop: Callable[[], str | None] = lambda: None,
) -> tuple[int, str | None]:
    """Copy `output_fd` to `sink` until the process has ended; return its exit code and why the runner
    stopped it (FLOODED, STALLED, what `should_stop` said), or None if it ended by itself."""
    printed, stopped, open_output = 0, None, True
    last_size, last_progress, exited_at = -1, time.monotonic(), None
    while True:
        got_output = open_output and bool(select.select([output_fd], [], [], 0.05)[0])
        if got_output:
            data = os.read(output_fd, 1 << 16)
            open_output = bool(data)
            if data and stopped is None:
                sink(data[: max(limits.output_bytes - printed, 0)])
                printed += len(data)
                if printed > limits.output_bytes:
                    stopped = _stop(process, FLOODED)
        code = process.poll()
        now = time.monotonic()
        if code is not None:
            exited_at = exited_at or now
            if not open_output or now - exited_at > EXIT_GRACE_S:
                if open_output:
                    process.kill()  # what it left behind holds the output open
                return code, stopped
        elif stopped is None:
            size = _size(events)
            if size != last_size:
                last_size, last_progress = size, now
            elif now - last_progress > limits.stall_seconds:
                stopped = _stop(process, STALLED)
            if stopped is None and (reason := should_stop()):
                stopped = _stop(process, reason)
        if not open_output and not got_output:
            time.sleep(0.02)


def _stop(process: Process, reason: str) -> str:
    process.kill()
    return reason


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return -1


def limit_memory(limits: Limits) -> None:
    """In the run's process, before pytest starts: an allocation past the limit fails in the kata (a
    MemoryError, torch's "can't allocate memory") instead of waking the machine's OOM killer."""
    wanted = limits.memory_bytes()
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard == resource.RLIM_INFINITY or wanted < hard:
        resource.setrlimit(resource.RLIMIT_AS, (wanted, hard if hard != resource.RLIM_INFINITY else wanted))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
