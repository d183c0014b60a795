"""Pristine copies of the stubs, `katakit/pristine/<file>`: what `katas reset` puts back into `katas/`.

`katas snapshot` (for the course's authors) writes them from `katas/`; `katas check` proves they equal
`katas/` byte for byte, so they never drift from the stubs the tests were checked against.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from katakit.manifest import Course, Kata

PACKAGE_FOLDER = Path(__file__).resolve().parent / "pristine"


def pristine_folder(root: Path) -> Path:
    """The course's own `katakit/pristine/` where the course holds its tools, else the installed package's."""
    own = root / "katakit" / "pristine"
    return own if own.is_dir() else PACKAGE_FOLDER


def snapshot(course: Course) -> list[Path]:
    folder = pristine_folder(course.root)
    folder.mkdir(exist_ok=True)
    written = []
    for kata in course.katas:
        shutil.copyfile(course.root / "katas" / kata.file, folder / kata.file)
        written.append(folder / kata.file)
    return written


def drift(root: Path, kata: Kata) -> str | None:
    """Why the pristine copy of a kata is not its stub byte for byte, or None when it is."""
    copy, stub = pristine_folder(root) / kata.file, root / "katas" / kata.file
    if not copy.is_file():
        return f"no pristine copy of katas/{kata.file}: run `katas snapshot`"
    if stub.is_file() and copy.read_bytes() != stub.read_bytes():
        return f"the pristine copy of katas/{kata.file} differs from it: run `katas snapshot`"
    return None


def restore(root: Path, kata: Kata, language: str = "en") -> Path:
    """Put the untouched stub back into katas/ (in `language`: katakit.stub_prose), and nothing else; return the
    path written."""
    from katakit.stub_prose import stub_in

    target = root / "katas" / kata.file
    if language == "en":
        shutil.copyfile(pristine_folder(root) / kata.file, target)
    else:
        target.write_text(stub_in(root, kata, language), encoding="utf-8")
    return target
