"""The zoo's model folders, kept as they were built while kata code runs.

Every kata test of a run shares the same cached folders (katakit.zoo). A kata that writes into one (a
`config.json` overwritten, a `save_pretrained` into the folder it loaded from) would make the tests of
every later kata fail at set-up, with nothing naming the kata that did it. So each folder a test
resolves is kept here, its files' bytes (a tiny model's folder is a few hundred KB); after each kata
test a look at the files' sizes and times tells whether one changed, and a changed folder is put back
at once and named in that test's failure.
"""

from __future__ import annotations

import os
from pathlib import Path

from katakit.i18n import N_, _

_kept: dict[Path, dict[str, bytes]] = {}  # folder -> its files, relative path -> bytes, as built
_looks: dict[Path, dict[str, tuple[int, int]]] = {}  # folder -> relative path -> (size, mtime_ns), as built


class KataChangedAModelFolder(Exception):
    """Kata code changed a model folder of the zoo; the folder was put back."""


def keep(folder: Path) -> Path:
    """Remember `folder` as it is now (once per process); return it."""
    folder = Path(folder)
    if folder not in _kept:
        _looks[folder] = _look(folder)
        _kept[folder] = {name: (folder / name).read_bytes() for name in _looks[folder]}
    return folder


def _look(folder: Path) -> dict[str, tuple[int, int]]:
    files = {}
    for directory, _subfolders, names in os.walk(folder):
        for name in names:
            path = Path(directory) / name
            info = path.stat()
            files[path.relative_to(folder).as_posix()] = (info.st_size, info.st_mtime_ns)
    return files


def put_back_changed() -> list[str]:
    """Each kept folder that changed since it was kept, put back as it was: one line per folder, naming it and
    what changed."""
    said = []
    for folder, looked in _looks.items():
        now = _look(folder) if folder.exists() else {}
        if now == looked:
            continue
        added = sorted(set(now) - set(looked))
        gone = sorted(set(looked) - set(now))
        changed = sorted(
            name
            for name in set(now) & set(looked)
            if now[name] != looked[name] and (folder / name).read_bytes() != _kept[folder][name]
        )
        if not (added or gone or changed):  # written back as built, by another process of a split run
            _looks[folder] = now
            continue
        for name in added:
            (folder / name).unlink(missing_ok=True)
        for name, content in _kept[folder].items():
            if name in gone or name in changed:
                (folder / name).parent.mkdir(parents=True, exist_ok=True)
                (folder / name).write_bytes(content)
        _looks[folder] = _look(folder)
        what = [
            _(message, files=", ".join(names))
            for names, message in (
                (changed, N_("{files} rewritten")),
                (added, N_("{files} added")),
                (gone, N_("{files} deleted")),
            )
            if names
        ]
        said.append(f"{folder.name} ({'; '.join(what)})")
    return said


def check_untouched(what_ran: str) -> None:
    """Raise KataChangedAModelFolder naming `what_ran` if a kept folder changed (it is put back first)."""
    changed = put_back_changed()
    if changed:
        raise KataChangedAModelFolder(
            _(
                "{code} changed the zoo's model folder {folders}. Kata code reads a model's folder and "
                "never writes into it: every other test loads the same folder. It was put back as it was built.",
                code=what_ran,
                folders=", ".join(changed),
            )
        )
