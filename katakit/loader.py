"""Load a kata module from the target folder by path, and explain plainly what is missing.

Tests never import `katas` or `solutions`: they get a `KataModule`. A kata file that is missing,
does not import, or lacks a function raises `KataProblem`, which the plugin shows as its message
alone, naming the file and the function, instead of a traceback.
"""

from __future__ import annotations

import importlib.util
import sys
import traceback
from pathlib import Path
from types import ModuleType
from typing import Protocol

from katakit.i18n import _


class KataProblem(AttributeError):
    """The kata file cannot give the test what it asks for. An AttributeError, so that probes
    such as `getattr(kata, name, default)` still get their default."""


class KataModule:
    def __init__(self, path: Path, shown_as: str):
        self._path = path
        self._shown_as = shown_as
        self._module: ModuleType | None = None
        self._error: str | None = None

    def _load(self) -> ModuleType:
        if self._module is None and self._error is None:
            self._module, self._error = _import_by_path(self._path, self._shown_as)
        if self._error is not None:
            raise KataProblem(self._error)
        return self._module

    def __repr__(self) -> str:
        return f"<kata {self._shown_as}>"

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        module = self._load()
        try:
            return getattr(module, name)
        except AttributeError:
            raise KataProblem(
                _(
                    "{file} has no function `{function}`: did you rename or delete it? "
                    "The tests call `{function}` as the kata's docstring describes.",
                    file=self._shown_as,
                    function=name,
                )
            ) from None


class KataCode(Protocol):
    """Where the kata code under test lives, as the plugin needs to know it."""

    named: str  # where a learner finds it, in a sentence: "katas/", "the notebook"

    def module(self, kata) -> KataModule: ...  # what the tests call

    def owns(self, entry) -> bool: ...  # a traceback entry runs the learner's code

    def place(self, entry) -> str: ...  # such an entry, for the learner: `katas/05_logits.py:12`

    def source(self, kata) -> str: ...  # the learner's code of a kata, "" where there is none


class FolderCode:
    """Kata files in a folder: katas/, solutions/, or the folder of --katas-dir."""

    def __init__(self, folder: Path, label: str):
        self.folder, self.label, self.named = folder, label, f"{label}/"
        self._resolved = folder.resolve()

    def module(self, kata) -> KataModule:
        return KataModule(self.folder / kata.file, shown_as=f"{self.label}/{kata.file}")

    def owns(self, entry) -> bool:
        return self._resolved in Path(entry.path).resolve().parents

    def place(self, entry) -> str:
        return f"{self.label}/{Path(entry.path).name}:{entry.lineno + 1}"

    def source(self, kata) -> str:
        try:
            return (self.folder / kata.file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return ""


def _import_by_path(path: Path, shown_as: str) -> tuple[ModuleType | None, str | None]:
    if not path.is_file():
        return None, _("{file} does not exist: the tests expect the kata in that file.", file=shown_as)
    module_name = f"katas_target_{path.stem}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(spec)
    # Registered before it runs, as `import` does: dataclasses and pickling look the module up.
    sys.modules[module_name] = module
    try:
        # Compiled from the source every time, never from __pycache__: a .pyc is trusted while the source's
        # mtime (in whole seconds) and size are unchanged, and two quick saves under `katas watch` can keep both.
        exec(compile(path.read_bytes(), str(path), "exec", dont_inherit=True), module.__dict__)
    except (Exception, SystemExit) as error:  # a kata that fails at import: show where, briefly
        del sys.modules[module_name]
        if isinstance(error, SyntaxError) and error.filename and Path(error.filename) == path:
            return None, _(
                "{file} line {line}: {error}. Fix the syntax and run again.",
                file=shown_as,
                line=error.lineno,
                error=error.msg,
            )
        frames = traceback.extract_tb(error.__traceback__)
        line = next((f.lineno for f in reversed(frames) if Path(f.filename) == path), "?")
        return None, _(
            "{file} fails when imported (line {line}): {error_type}: {error}",
            file=shown_as,
            line=line,
            error_type=type(error).__name__,
            error=str(error),
        )
    return module, None
