"""Cheap stand-ins for the zoo's model builders, for the cache tests.

A module of its own, so that `inspect.getsource` (which the cache key hashes) finds it, and so
that a child process can import the very same builder. Every call appends one line to the file
named by `$KATAS_FAKE_BUILD_LOG`, so a test counts builds across processes.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

LOG_ENV = "KATAS_FAKE_BUILD_LOG"


def build_notes(folder: Path, *, text: str = "hello", sleep: float = 0.0, fail: bool = False) -> None:
    """Write a small folder (one file at the top, one in a subfolder); optionally slow, or failing halfway."""
    with open(os.environ[LOG_ENV], "a") as log:
        log.write(f"{os.getpid()} {folder}\n")
    time.sleep(sleep)
    (folder / "note.txt").write_text(text)
    if fail:
        raise RuntimeError("the fake builder failed halfway")
    (folder / "sub").mkdir()
    (folder / "sub" / "data.bin").write_bytes(text.encode() * 3)


def builds(log: Path) -> list[str]:
    """One line per builder call recorded in `log`."""
    return log.read_text().splitlines() if log.exists() else []
