"""Many runs side by side, one runner per worker: the course's own check uses it (katakit.course_check).

    done = run_all(course_root, [args, args, ...], workers=2)   # [(Run, output bytes) per args, in order]

Each worker thread opens its own runner (katakit.runner.open_runner: a warm parent where fork is safe, else
a fresh pytest per run), so the import floor and the warm-up are paid once per worker, not once per run; the
workers take the runs in the order given (give the longest first, so that no worker is left with a long run
at the end). A runner that cannot start fails only the runs its worker took.
"""

from __future__ import annotations

import os
import queue
import threading
from pathlib import Path

from katakit.runner.client import DEFAULT_LIMITS, Run, RunnerFailed
from katakit.runner.relay import Limits


def run_all(
    root: Path,
    runs: list[list[str]],
    workers: int | None = None,
    limits: Limits = DEFAULT_LIMITS,
    env: dict[str, str] | None = None,
) -> list[tuple[Run | RunnerFailed, bytes]]:
    """Run `pytest ARGS` for each ARGS in `runs`; each run's `Run` (or the RunnerFailed that stopped it) and
    its output, in the order of `runs`."""
    from katakit.runner import open_runner

    todo: queue.Queue = queue.Queue()
    for index, args in enumerate(runs):
        todo.put((index, args))
    done: list = [None] * len(runs)

    def work() -> None:
        runner = None
        try:
            while True:
                try:
                    index, args = todo.get_nowait()
                except queue.Empty:
                    return
                output = bytearray()
                try:
                    # Opened in this thread, which keeps it: on Linux the warm parent dies with its thread.
                    runner = runner or open_runner(root, env)
                    done[index] = (runner.run(args, output.extend, limits), bytes(output))
                except Exception as failure:  # noqa: BLE001 (the run's caller is told, the other runs go on)
                    reason = failure if isinstance(failure, RunnerFailed) else RunnerFailed(repr(failure))
                    done[index] = (reason, bytes(output))
                    if runner is not None:
                        runner.close()
                    runner = None  # the next run starts a new one
        finally:
            if runner is not None:
                runner.close()

    threads = [
        threading.Thread(target=work, name=f"katas-worker-{number}", daemon=True)
        for number in range(min(workers or os.cpu_count() or 1, len(runs)))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done
