"""A student's submission: a folder (a clone of the course, its `katas/` or its `notebooks/`) or a zip of one.

Only the kata files the manifest names are taken, and only as plain files: a submission's conftest.py,
plugins, sitecustomize.py, its own tests or a symlink to the solutions never reach the grading run.
A kata notebook (`NN_name.ipynb`, katakit.notebooks) counts as its kata file: the code of its cells tagged
`kata`, joined, is graded exactly as that file would be. Where a kata has both, the one that is not the
untouched stub is taken (the kata file, where both hold work).
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from katakit.manifest import Course
from katakit.notebooks.cells import kata_code, read_notebook

MAX_KATA_BYTES = 1_000_000  # a kata file is a few kB; anything bigger is not one
MAX_NOTEBOOK_BYTES = 20_000_000  # its outputs (tables, images) make a notebook bigger


@dataclass(frozen=True)
class Submission:
    student: str
    source: Path
    files: dict[str, bytes]  # kata file name -> its content, for the kata files found
    notes: tuple[str, ...] = ()  # what was left out, and why

    @property
    def digest(self) -> str:
        """The content that is graded: the same digest means the same grade."""
        digest = hashlib.sha256()
        for name in sorted(self.files):
            digest.update(name.encode() + b"\0" + self.files[name] + b"\0")
        return digest.hexdigest()[:16]

    def write_katas(self, folder: Path) -> None:
        folder.mkdir(parents=True)
        for name, content in self.files.items():
            (folder / name).write_bytes(content)


class SubmissionError(Exception):
    """The path given is not a submission."""


def student_name(path: Path) -> str:
    """The folder's or zip's name, or its parent's for a bare `katas/` folder, in safe characters."""
    name = path.stem if path.suffix == ".zip" else path.name
    if name in ("katas", "notebooks") and path.is_dir():
        name = path.resolve().parent.name
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "student"


def read_submission(path: Path, course: Course) -> Submission:
    wanted = {kata.file for kata in course.katas}
    if path.is_file() and path.suffix == ".zip":
        files, notes = _from_zip(path, wanted)
        notebooks, notebook_notes = _notebooks_from_zip(path, wanted)
    elif path.is_dir():
        files, notes = _from_folder(path, wanted)
        notebooks, notebook_notes = _notebooks_from_folder(path, wanted)
    else:
        raise SubmissionError(f"{path}: not a folder or a .zip")
    files, chosen = _with_notebooks(course, files, notebooks)
    return Submission(student_name(path), path, files, tuple(notes + notebook_notes + chosen))


def _from_folder(folder: Path, wanted: set[str]) -> tuple[dict[str, bytes], list[str]]:
    katas = folder / "katas" if (folder / "katas").is_dir() else folder
    files, notes = {}, []
    # Where a conftest.py or a plugin would take effect in a plain pytest run (not a virtualenv's files).
    shipped = {*folder.glob("*.py"), *katas.glob("*.py")}
    notes += _ignored_note(
        [p.relative_to(folder).as_posix() for p in shipped if p.parent != katas or p.name not in wanted]
    )
    for name in sorted(wanted):
        path = katas / name
        if path.is_symlink():
            notes.append(f"{name} is a symbolic link, not a file: left out")
        elif path.is_file():
            if path.stat().st_size > MAX_KATA_BYTES:
                notes.append(f"{name} is over {MAX_KATA_BYTES} bytes: left out")
            else:
                files[name] = path.read_bytes()
    return files, notes


def _from_zip(archive: Path, wanted: set[str]) -> tuple[dict[str, bytes], list[str]]:
    """Read the kata files straight from the archive: nothing is extracted, so no path in it matters."""
    files, notes = {}, []
    try:
        with zipfile.ZipFile(archive) as zipped:
            chosen = {}
            python_files = [info for info in zipped.infolist() if info.filename.endswith(".py")]
            for info in python_files:
                path = PurePosixPath(info.filename)
                rank = (path.parent.name != "katas", len(path.parts))  # prefer katas/, then the shallowest
                if path.name in wanted and (path.name not in chosen or rank < chosen[path.name][0]):
                    chosen[path.name] = (rank, info)
            taken = {info.filename for _, info in chosen.values()}
            notes += _ignored_note([info.filename for info in python_files if info.filename not in taken])
            for name, (_, info) in sorted(chosen.items()):
                if info.file_size > MAX_KATA_BYTES:
                    notes.append(f"{name} is over {MAX_KATA_BYTES} bytes: left out")
                else:
                    files[name] = zipped.read(info)[:MAX_KATA_BYTES]
    except (zipfile.BadZipFile, OSError) as error:
        notes.append(f"{archive.name} could not be read as a zip: {error}")
    return files, notes


def _ignored_note(paths: list[str]) -> list[str]:
    """Say which Python files the student shipped that are never run (a conftest.py, a plugin...)."""
    if not paths:
        return []
    return [f"not graded, never run: {', '.join(sorted(paths)[:20])}" + (" ..." if len(paths) > 20 else "")]


def _notebook_name(kata_file: str) -> str:
    return kata_file.removesuffix(".py") + ".ipynb"


def _notebooks_from_folder(folder: Path, wanted: set[str]) -> tuple[dict[str, tuple[str, bytes]], list[str]]:
    """Each kata notebook's code: from `notebooks/`, else the folder itself. Kata file name -> (where, code)."""
    found, notes = {}, []
    places = [folder / "notebooks", folder] if (folder / "notebooks").is_dir() else [folder]
    for name in sorted(wanted):
        path = next((place / _notebook_name(name) for place in places if (place / _notebook_name(name)).exists()), None)
        if path is None:
            continue
        shown = path.relative_to(folder).as_posix()
        if path.is_symlink() or not path.is_file():
            notes.append(f"{shown} is not a plain file: left out")
        elif path.stat().st_size > MAX_NOTEBOOK_BYTES:
            notes.append(f"{shown} is over {MAX_NOTEBOOK_BYTES} bytes: left out")
        else:
            _take_code(found, notes, name, shown, path.read_bytes())
    return found, notes


def _notebooks_from_zip(archive: Path, wanted: set[str]) -> tuple[dict[str, tuple[str, bytes]], list[str]]:
    found, notes = {}, []
    by_notebook = {_notebook_name(name): name for name in wanted}
    try:
        with zipfile.ZipFile(archive) as zipped:
            chosen = {}
            for info in zipped.infolist():
                path = PurePosixPath(info.filename)
                rank = (path.parent.name != "notebooks", len(path.parts))  # prefer notebooks/, then the shallowest
                if path.name in by_notebook and (path.name not in chosen or rank < chosen[path.name][0]):
                    chosen[path.name] = (rank, info)
            for notebook, (_, info) in sorted(chosen.items()):
                if info.file_size > MAX_NOTEBOOK_BYTES:
                    notes.append(f"{info.filename} is over {MAX_NOTEBOOK_BYTES} bytes: left out")
                else:
                    _take_code(found, notes, by_notebook[notebook], info.filename, zipped.read(info))
    except (zipfile.BadZipFile, OSError):
        pass  # said once already, by the kata files' reading
    return found, notes


def _take_code(found: dict, notes: list[str], kata_file: str, shown: str, data: bytes) -> None:
    try:
        code = kata_code(read_notebook(data)).encode("utf-8")
    except ValueError as problem:
        notes.append(f"{shown}: {problem}: left out")
        return
    if len(code) > MAX_KATA_BYTES:
        notes.append(f"{shown}: its kata cells are over {MAX_KATA_BYTES} bytes: left out")
    else:
        found[kata_file] = (shown, code)


def _with_notebooks(
    course: Course, files: dict[str, bytes], notebooks: dict[str, tuple[str, bytes]]
) -> tuple[dict[str, bytes], list[str]]:
    """The kata files with each notebook's code in place of a kata file that is missing or its untouched stub."""
    from katakit.pristine import pristine_folder

    files, notes = dict(files), []
    for name, (shown, code) in sorted(notebooks.items()):
        stub = pristine_folder(course.root) / name
        untouched = stub.read_bytes() if stub.is_file() else None
        if name not in files or (files[name] == untouched and code != untouched):
            files[name] = code
            notes.append(f"{name}: graded from {shown} (its cells tagged kata)")
        elif code != untouched and code != files[name]:
            notes.append(f"{name}: graded from the kata file; {shown} holds other work, not graded")
    return files, notes
