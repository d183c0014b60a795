"""What the course's pytest start needs before any plugin is imported (called by the top-level conftest.py)."""

from __future__ import annotations

import sys

# Libraries whose every module pytest marks for assertion rewriting because their distribution ships a pytest
# plugin, whether that plugin runs or not (hypothesis' is loaded by conftest.py, not through its entry point).
UNREWRITTEN = ("hypothesis",)


def leave_libraries_unrewritten() -> None:
    """A rewritten module's bytecode is cached only where Python may write bytecode: with PYTHONDONTWRITEBYTECODE
    (as container images set it) or a read-only site-packages, pytest would rewrite all of hypothesis again at
    every start, 0.4 s of it here. The library's own asserts are not the course's to explain."""
    for hook in sys.meta_path:
        marked = getattr(hook, "_must_rewrite", None)
        if type(hook).__name__ == "AssertionRewritingHook" and isinstance(marked, set):
            marked.difference_update(UNREWRITTEN)
            getattr(hook, "_marked_for_rewrite_cache", {}).clear()
