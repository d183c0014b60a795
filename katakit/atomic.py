"""Files written whole or not at all: a reader never sees half of one, a crash leaves the old one; and a
lock file that keeps two processes from doing the same work at once."""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, staging = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(staging, path)
    except BaseException:
        Path(staging).unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def locked(lock_path: Path):
    """Hold an exclusive lock on `lock_path` (created if missing) for the `with` block."""
    with open(lock_path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
