"""What a kata may do while it is graded, enforced by an audit hook (PEP 578), which no code can remove.

From the moment the first kata file is imported until the process ends:
- files may be read only from the Python installation and its packages, the tools, the zoo, the
  submission's own katas and its scratch folder (and the instructor's tests, by the test code alone);
  so no kata reads the solutions, another student's files or the results stream;
- files may be written, removed or renamed only inside the scratch folder;
- no process, network connection, ctypes call, tracer or new audit hook;
- kata code may not look at other frames or at the garbage collector's objects, the ways to reach
  the reference models and the test's variables.
Each refusal raises PermissionError in the kata and is reported through `on_refusal`.
"""

from __future__ import annotations

import inspect
import linecache
import os
import sys
import threading
import tokenize
import traceback
from collections.abc import Callable
from dataclasses import dataclass

WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC
FILE_CHANGES = {
    "os.remove",
    "os.rename",
    "os.rmdir",
    "os.mkdir",
    "os.chmod",
    "os.chown",
    "os.truncate",
    "os.utime",
    "shutil.rmtree",
    "shutil.move",
}
COPIES = {"shutil.copyfile", "shutil.copytree", "os.link", "os.symlink"}  # only the destination changes
ALWAYS_REFUSED = (
    "subprocess.Popen",
    "os.system",
    "os.exec",
    "os.posix_spawn",
    "os.spawn",
    "os.fork",
    "os.forkpty",
    "os.kill",
    "os.killpg",
    "socket.connect",
    "socket.bind",
    "socket.sendto",
    "socket.getaddrinfo",
    "ctypes.",
    "sys.addaudithook",
    "pty.spawn",
)
# Hypothesis traces a failing example to explain it; a kata may not look at or trace the tests.
INTROSPECTION = {
    "sys._getframe",
    "sys._current_frames",
    "gc.get_objects",
    "gc.get_referrers",
    "gc.get_referents",
    "sys.settrace",
    "sys.setprofile",
}
FRAME_ATTRIBUTES = {"tb_frame", "gi_frame", "cr_frame", "ag_frame", "f_back"}
INTROSPECTION_MODULES = frozenset({inspect.__file__, traceback.__file__})
SOURCE_READERS = INTROSPECTION_MODULES | {linecache.__file__, tokenize.__file__}
SYSTEM_ROOTS = ("/dev", "/proc", "/sys", "/etc", "/usr", "/lib", "/lib64", "/bin")


@dataclass(frozen=True)
class Policy:
    katas: str  # the submission's kata files
    scratch: str  # the only writable folder
    readable: tuple[str, ...]  # folders any code may read
    tests: str  # the instructor's tests: readable by the test code, not by a kata
    sealed: tuple[str, ...]  # files no one may open again (the results stream)


def _under(path: str, roots: tuple[str, ...]) -> bool:
    return any(path == root or path.startswith(root.rstrip("/") + "/") for root in roots)


class Enforcer:
    """The audit hook. Idle until `arm()`: pytest, the tests and the library load freely before."""

    def __init__(self, policy: Policy, on_refusal: Callable[[str], None]):
        self.policy = policy
        self.on_refusal = on_refusal
        self.armed = False
        self._busy = threading.local()
        self._readable = tuple(
            os.path.realpath(p) for p in (*policy.readable, *SYSTEM_ROOTS, policy.katas, policy.scratch)
        )
        self._scratch = (os.path.realpath(policy.scratch),)
        self._katas = os.path.join(os.path.realpath(policy.katas), "")
        self._tests = (os.path.realpath(policy.tests),)
        self._sealed = tuple(os.path.realpath(p) for p in policy.sealed)

    def arm(self) -> None:
        self.armed = True

    def __call__(self, event: str, args: tuple) -> None:
        if not self.armed or getattr(self._busy, "active", False):
            return
        self._busy.active = True  # what the hook itself does raises events too
        try:
            refusal = self._judge(event, args)
        finally:
            self._busy.active = False
        if refusal:
            self.on_refusal(refusal)
            raise PermissionError(f"katas grade: {refusal} is not allowed while a kata is graded")

    def _judge(self, event: str, args: tuple) -> str | None:
        if event == "open":
            return self._judge_open(*args[:3])
        if event in FILE_CHANGES or event in COPIES:
            paths = [a for a in args if isinstance(a, (str, bytes, os.PathLike))]
            paths = paths[-1:] if event in COPIES else paths
            outside = [p for p in paths if not _under(_real(p), self._scratch)]
            return f"{event} on {os.fsdecode(outside[0])}" if outside else None
        if event.startswith(ALWAYS_REFUSED):
            return event
        if event in INTROSPECTION and self._called_by_kata():
            return f"{event} (looking at the tests' frames or objects)"
        if event == "object.__getattr__" and args[1] in FRAME_ATTRIBUTES and self._called_by_kata():
            return f"reading {args[1]} (looking at the tests' frames)"
        return None

    def _judge_open(self, path, mode=None, flags=0) -> str | None:
        if isinstance(path, int):
            return None  # an already open descriptor: it was checked when opened
        real = _real(path)
        if _under(real, self._sealed):
            return f"opening {real}"
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or bool((flags or 0) & WRITE_FLAGS)
        if writing:
            return None if _under(real, self._scratch) else f"writing {real}"
        if _under(real, self._readable):
            return None
        if _under(real, self._tests) and (not self._kata_on_stack() or self._source_line_for_the_library()):
            return None
        return f"reading {real}"

    def _called_by_kata(self) -> bool:
        """Whether kata code made the call, directly or through `inspect` or `traceback` (the library
        looks at frames too: a warning's origin, a pipeline's caller)."""
        frame = sys._getframe(3)  # _called_by_kata, _judge, __call__, then the caller
        while frame is not None and frame.f_code.co_filename in INTROSPECTION_MODULES:
            frame = frame.f_back
        return frame is not None and frame.f_code.co_filename.startswith(self._katas)

    def _source_line_for_the_library(self) -> bool:
        """Whether linecache reads a test's source for the library's own traceback: torch keeps the formatted
        stack of each lazy CUDA call (`torch.manual_seed` in a kata makes one), lines of the tests included.
        A kata that asks for a traceback itself is still refused."""
        frame = sys._getframe(4)  # this, _judge_open, _judge, __call__, then the code that opens
        through_linecache = False
        while frame is not None and frame.f_code.co_filename in SOURCE_READERS:
            through_linecache |= frame.f_code.co_filename == linecache.__file__
            frame = frame.f_back
        return through_linecache and frame is not None and not frame.f_code.co_filename.startswith(self._katas)

    def _kata_on_stack(self) -> bool:
        frame = sys._getframe(2)
        while frame is not None:
            if frame.f_code.co_filename.startswith(self._katas):
                return True
            frame = frame.f_back
        return False


def _real(path) -> str:
    return os.path.realpath(os.fsdecode(path))
