"""Each kata's last complete result, remembered across runs, so that `katas next`, `katas list` and
`katas watch` know where the learner stands without running the whole course again.

`.katas/progress.json` (under the course root, for the learner's `katas/`) holds, per kata, the results of
the last run that ran every one of its tests, with the digests of the kata file and of its test file as
they were during that run, and the zoo seed. The entry is *fresh* while both files and the seed are
unchanged; a kata without a fresh entry has to run again. A run that stopped early or ran only some of a
kata's tests (`-k`, `--lf`, `file::test`) leaves that kata's entry as it was.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from katakit.atomic import locked, write_atomically
from katakit.manifest import Course, Kata
from katakit.outcomes import SOLVED, KataProgress, TestResult, progress
from katakit.zoo import zoo_seed

PROGRESS = Path(".katas") / "progress.json"


def default_store(course: Course, target: Path) -> Path | None:
    """Where a plain pytest run keeps the progress of `target`: for the learner's own `katas/` only (a run on
    solutions/, a mutant or a grading copy remembers nothing). `--katas-progress=PATH` names another."""
    return course.root / PROGRESS if Path(target).resolve() == (course.root / "katas").resolve() else None


def store_for(course: Course, target: Path) -> Path:
    """Where the `katas` command keeps the progress of `target`: another folder gets a file of its own."""
    if (found := default_store(course, target)) is not None:
        return found
    digest = hashlib.sha256(str(Path(target).resolve()).encode()).hexdigest()[:12]
    return course.root / PROGRESS.parent / f"progress-{digest}.json"


@dataclass(frozen=True)
class Digests:
    kata: str | None  # None: the kata file is missing
    tests: str | None
    seed: int


def digests(course: Course, target: Path, kata: Kata) -> Digests:
    return Digests(_digest(Path(target) / kata.file), _digest(course.root / kata.test_file), zoo_seed())


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def record(store: Path, entries: dict[str, tuple[Digests, list[TestResult]]]) -> None:
    """Replace the entries of these katas, keep every other one (another run may have written them)."""
    if not entries:
        return
    store.parent.mkdir(parents=True, exist_ok=True)
    with locked(store.parent / f".{store.name}.lock"):
        saved = _read(store)
        for name, (found, results) in entries.items():
            saved[name] = {"digests": vars(found), "results": [vars(result) for result in results]}
        write_atomically(store, json.dumps({"katas": saved}, indent=1))


def fresh_progress(course: Course, target: Path, store: Path | None) -> dict[str, KataProgress]:
    """The remembered progress of every kata whose entry is fresh, by kata name."""
    if store is None:
        return {}
    saved = _read(store)
    known = {}
    for kata in course.katas:
        entry = saved.get(kata.name)
        try:
            if entry is None or Digests(**entry["digests"]) != digests(course, target, kata):
                continue
            results = [TestResult(**result) for result in entry["results"]]
        except (KeyError, TypeError):
            continue  # an entry written by another version of the course: run the kata again
        known.update((found.kata.name, found) for found in progress(course, results))
    return known


def first_not_known_solved(course: Course, known: dict[str, KataProgress], after: Kata | None = None) -> Kata | None:
    """The first kata, in course order (starting after `after`, then from the start), not known to be solved."""
    katas = list(course.katas)
    if after is not None:
        start = katas.index(after) + 1
        katas = katas[start:] + katas[:start]
    return next((kata for kata in katas if kata.name not in known or known[kata.name].status != SOLVED), None)


def _read(store: Path) -> dict:
    try:
        saved = json.loads(store.read_text(encoding="utf-8")).get("katas", {})
    except (OSError, ValueError, AttributeError):
        return {}
    return saved if isinstance(saved, dict) else {}
