"""What a grading run's process does to itself before pytest starts: its folder, its file-size limit, and on
Linux a network of its own (a user and network namespace: no interface but a loopback that is down).

The same function serves a forked child of the warm parent (katakit.runner.child) and a fresh subprocess
(`preexec_fn`, before exec), so that a warm grading process and a cold one are confined alike. It runs
before any kata code (ctypes is refused by the grading guard afterwards).
"""

from __future__ import annotations

import functools
import os
import resource
import signal
import sys
from dataclasses import asdict, dataclass

CLONE_NEWUSER, CLONE_NEWNET = 0x10000000, 0x40000000


@dataclass(frozen=True)
class Confinement:
    cwd: str
    file_mb: int
    network: bool  # True: no network namespace (where Linux gives none, the grading guard still refuses)

    def as_dict(self) -> dict:
        return asdict(self)


def confine(confinement: Confinement) -> None:
    """In the run's process: no core files, a file too big fails its write (EFBIG) instead of killing the
    process, its own folder, and no network unless allowed."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (confinement.file_mb * 2**20,) * 2)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    if not confinement.network:
        enter_network_namespace()
    os.chdir(confinement.cwd)


def enter_network_namespace() -> None:
    """Become root of a new user namespace (needed to make a network namespace without privileges) with a
    network namespace of its own, as `unshare --user --map-root-user --net` does. Raises OSError where the
    kernel refuses."""
    import ctypes

    uid, gid = os.geteuid(), os.getegid()
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"unshare: {os.strerror(errno)}")
    _write("/proc/self/setgroups", "deny")
    _write("/proc/self/uid_map", f"0 {uid} 1")
    _write("/proc/self/gid_map", f"0 {gid} 1")


def _write(path: str, text: str) -> None:
    with open(path, "w") as file:
        file.write(text)


@functools.cache
def network_namespace_available() -> bool:
    """Whether this machine lets a process take a network of its own (tried in a forked process)."""
    if not sys.platform.startswith("linux"):
        return False
    pid = os.fork()
    if pid == 0:
        try:
            enter_network_namespace()
            os._exit(0)
        except BaseException:
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0
