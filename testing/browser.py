"""A real browser for the suite's tests: Debian's headless chromium, run once per page.

With --enable-logging=stderr, chromium writes every console message of the page to stderr as a line like
`[...:INFO:CONSOLE:1] "Uncaught ReferenceError: ...", source: file:///... (1)` (older builds: `CONSOLE(1)`),
whatever its level: a script error, a console.error, a resource a Content-Security-Policy blocked. A page
with no script should log nothing, so any such line is a failure. Its other stderr lines (D-Bus, GPU) are noise.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

REQUIRE = "KATAS_REQUIRE_BROWSER"  # set (CI does): a missing chromium fails the browser tests instead of skipping
CONSOLE_LINE = re.compile(r":CONSOLE[:(]\d+|Uncaught")
TIMEOUT_S = 60  # a page renders in a second or two; a hung browser must not hang the suite


@dataclass(frozen=True)
class Rendered:
    stdout: str
    console: list[str]  # the page's console messages, as chromium logged them


def chromium() -> str:
    """The browser's path, else skip (or fail where $KATAS_REQUIRE_BROWSER is set)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    reason = "chromium is not installed (apt-get install chromium) so the page is not checked in a real browser"
    if os.environ.get(REQUIRE):
        pytest.fail(f"{REQUIRE} is set but {reason}")
    pytest.skip(reason)


def render(page: Path, profile: Path, *options: str) -> Rendered:
    """Load `page` in headless chromium with `options` (--dump-dom, --screenshot=...)."""
    command = [
        chromium(),
        "--headless",
        "--no-sandbox",  # root in a container has no user namespace for the sandbox
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        f"--user-data-dir={profile}",  # not the account's profile: tests may run beside a user's browser
        "--enable-logging=stderr",
        "--v=0",
        *options,
        page.resolve().as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S, cwd=page.parent)
    assert done.returncode == 0, f"chromium exited {done.returncode}: {done.stderr[-2000:]}"
    return Rendered(done.stdout, [line for line in done.stderr.splitlines() if CONSOLE_LINE.search(line)])
