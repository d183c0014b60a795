"""What kata code may not do to the run that tests it: end the process, interrupt the session, close its output.

Each would make the learner's `pytest` lie: `os._exit(0)` ends it at once with exit code 0 and no summary
(a CI or Classroom step then reports success), `sys.exit` or a `KeyboardInterrupt` raised by the kata would
stop the session as if the learner had pressed Ctrl-C, and `sys.stdout.close()` breaks pytest's capture.
While a kata test sets up and runs, each of these raises `KataEndedTheRun` at the kata's line instead, and
the test fails with a message that says what the kata did. A real Ctrl-C (SIGINT) still stops the run.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading

from katakit.i18n import N_, _


class KataEndedTheRun(BaseException):
    """A kata tried to end or interrupt the run. A BaseException: neither a kata's `except Exception` nor
    hypothesis (which would replay it to shrink it) catches it."""

    ADVICE = N_("A kata function returns its result; the test run must go on after it.")

    def __init__(self, what: str):
        advice = _(self.ADVICE)
        super().__init__(f"{what}. {advice}")


class Interrupts:
    """Tells a Ctrl-C from a KeyboardInterrupt that kata code raised itself."""

    def __init__(self):
        self.pressed = False
        self._installed = False

    def install(self) -> None:
        if (
            threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGINT) is signal.default_int_handler
        ):
            signal.signal(signal.SIGINT, self._on_sigint)
            self._installed = True

    def uninstall(self) -> None:
        if self._installed and signal.getsignal(signal.SIGINT) == self._on_sigint:
            signal.signal(signal.SIGINT, signal.default_int_handler)

    def _on_sigint(self, signum, frame):
        self.pressed = True
        signal.default_int_handler(signum, frame)  # raises KeyboardInterrupt where the run was


@contextlib.contextmanager
def kata_may_not_end_the_run(interrupts: Interrupts):
    """Around a kata test's set-up or call (inside pytest's output capture)."""
    exits = os._exit

    def refuse_exit(status=0):
        raise KataEndedTheRun(
            _("os._exit({status}) would end the whole test run at once, with no summary", status=status)
        )

    streams = sys.stdout, sys.stderr
    native = sys.modules.get("posix") or sys.modules.get("nt")  # os._exit's own module: the same function
    os._exit = native._exit = refuse_exit
    sys.stdout, sys.stderr = _Unclosable(sys.stdout, "sys.stdout"), _Unclosable(sys.stderr, "sys.stderr")
    try:
        yield
    except KeyboardInterrupt:
        if interrupts.pressed:
            raise
        raise KataEndedTheRun(
            _("KeyboardInterrupt raised by kata code would stop the test run as a Ctrl-C does")
        ).with_traceback(sys.exc_info()[2]) from None
    except SystemExit as error:
        raise KataEndedTheRun(_("sys.exit({code}) would end the test run", code=repr(error.code))).with_traceback(
            error.__traceback__
        ) from None
    finally:
        os._exit = native._exit = exits
        sys.stdout, sys.stderr = streams


class _Unclosable:
    """A stream that refuses to be closed: pytest still reads what the kata wrote to it."""

    def __init__(self, stream, name: str):
        self._stream, self._name = stream, name

    def close(self):
        raise KataEndedTheRun(_("{stream}.close() would close the test run's own output", stream=self._name))

    def __getattr__(self, name):
        return getattr(self._stream, name)
