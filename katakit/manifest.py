"""The course manifest, `katas/katas.toml`: the one list of katas every tool reads.

Fields of each `[[kata]]`:
  name   short identifier, used on the command line (`katas hint pipeline 2`)
  file   the kata's file name, the same in `katas/` and `solutions/`; its tests live in
         `tests/test_<file>` (so `01_pipeline.py` is tested by `tests/test_01_pipeline.py`)
  title  one line shown in the summary
  docs   links to the official documentation the kata is about
Fields of each `[[kata.task]]` (numbered from 1 in course order; `N.` in the kata's docstring
and `@pytest.mark.task(N)` on its tests refer to the same task):
  number, title
  hint    a question that points the way, never the answer
  points  what the task is worth when graded (default 1)
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST_PATH = Path("katas") / "katas.toml"


class ManifestError(Exception):
    pass


@dataclass(frozen=True)
class Task:
    number: int
    title: str
    hint: str
    points: int = 1


@dataclass(frozen=True)
class Kata:
    name: str
    file: str
    title: str
    docs: tuple[str, ...] = ()
    tasks: tuple[Task, ...] = field(default=())

    @property
    def test_file(self) -> str:
        return f"tests/test_{self.file}"

    def task(self, number: int) -> Task | None:
        return next((task for task in self.tasks if task.number == number), None)


@dataclass(frozen=True)
class Course:
    root: Path
    katas: tuple[Kata, ...]

    def kata_named(self, name: str) -> Kata | None:
        return next((kata for kata in self.katas if kata.name == name), None)

    def find(self, given: str) -> Kata | None:
        """The kata a learner means by `given`: its name, its number in the course, or its file name
        (`05_logits.py`, `katas/05_logits`, `tests/test_05_logits.py`)."""
        given = given.strip()
        if given.isdigit():
            number = int(given)
            return self.katas[number - 1] if 1 <= number <= len(self.katas) else None
        stem = Path(given).name.removesuffix(".py").removeprefix("test_")
        return next((kata for kata in self.katas if given == kata.name or stem == kata.file.removesuffix(".py")), None)

    def choices(self) -> str:
        """How to name a kata, for a message about a name that matched none."""
        return ", ".join(f"{number} {kata.name}" for number, kata in enumerate(self.katas, start=1))

    def kata_for_test_file(self, path: Path) -> Kata | None:
        try:
            relative = Path(path).resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return None
        return next((kata for kata in self.katas if kata.test_file == relative), None)


def load_course(root: Path) -> Course:
    path = Path(root) / MANIFEST_PATH
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ManifestError(f"cannot read the course manifest {MANIFEST_PATH}: {error}") from error
    katas = tuple(_kata(entry, index) for index, entry in enumerate(data.get("kata", []), start=1))
    names = [kata.name for kata in katas]
    if duplicates := sorted({name for name in names if names.count(name) > 1}):
        raise ManifestError(f"{MANIFEST_PATH}: kata names used twice: {', '.join(duplicates)}")
    return Course(root=Path(root), katas=katas)


def _kata(entry: dict, index: int) -> Kata:
    where = f"{MANIFEST_PATH}, kata #{index}"
    try:
        tasks = tuple(
            Task(number=int(t["number"]), title=t["title"], hint=t["hint"], points=int(t.get("points", 1)))
            for t in entry.get("task", [])
        )
        kata = Kata(
            name=entry["name"], file=entry["file"], title=entry["title"], docs=tuple(entry.get("docs", ())), tasks=tasks
        )
    except KeyError as missing:
        raise ManifestError(f"{where}: missing field {missing}") from None
    if [task.number for task in tasks] != list(range(1, len(tasks) + 1)):
        raise ManifestError(f"{where} ({kata.name}): tasks must be numbered 1, 2, 3, ... in order")
    return kata
