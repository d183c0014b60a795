"""A class graded on many machines: `katas grade --shard K/N` grades the submissions of shard K of N, and
`katas grade --merge --out OUT FOLDER...` puts the shards' output folders together into OUT.

A student's shard comes from a SHA-256 of the student's name, so every machine, every Python and every run
agrees on it (Python's own `hash()` of a string changes from one process to the next). Every shard reads
every submission, as an unsharded run does (names checked, two submissions of one name refused), and records
in its grading.json the names of all the submissions it read: the merge refuses shards that read different
classes (a clone that failed on one runner) as it refuses shards graded alike in nothing but name (another
seed, hypothesis profile, kata selection or course version), a student graded twice, and a missing shard.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from katakit.atomic import write_atomically
from katakit.grading import reports

SETTINGS = "grading.json"  # an output folder's settings: seed, profile, katas, course version, shard, submissions
# What must be the same in every shard (its grading.json and each of its records) for the grades to compare.
ALIKE = (
    ("seed", "seed"),
    ("profile", "hypothesis profile"),
    ("katas", "kata selection"),
    ("course_version", "course version"),
)
SHOWN = 5  # names listed in a message before "..."


class MergeError(Exception):
    """The folders given cannot be merged into one class."""


def parse_shard(text: str) -> tuple[int, int]:
    """`K/N` as (K, N), with 1 <= K <= N."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if match is None:
        raise ValueError(
            f"{text!r} is not K/N: write the shard's number, a slash and the number of shards, "
            "e.g. 2/4 for the second of four"
        )
    index, count = int(match[1]), int(match[2])
    if count < 1:
        raise ValueError(f"{text!r}: N, the number of shards, is 1 or more")
    if not 1 <= index <= count:
        raise ValueError(f"{text!r}: K counts the shards from 1 to N, here 1/{count} to {count}/{count}")
    return index, count


def shard_text(shard: tuple[int, int] | None) -> str | None:
    return None if shard is None else f"{shard[0]}/{shard[1]}"


def shard_of(student: str, count: int) -> int:
    """The shard (1 to `count`) that grades `student`: the same on every machine, Python and run."""
    return int.from_bytes(hashlib.sha256(student.encode("utf-8")).digest()[:8], "big") % count + 1


def in_shard(student: str, shard: tuple[int, int] | None) -> bool:
    return shard is None or shard_of(student, shard[1]) == shard[0]


@dataclass(frozen=True)
class ShardFolder:
    """One output folder given to the merge: its settings (grading.json) and its records."""

    folder: Path
    settings: dict
    records: list[dict]

    @property
    def shard(self) -> tuple[int, int] | None:
        text = self.settings.get("shard")
        return None if text is None else parse_shard(text)

    def __str__(self) -> str:
        return str(self.folder)


def merge(
    out: Path, folders: list[Path], allow_missing: bool = False, say: Callable[[str], None] = print
) -> list[dict]:
    """Write the records of every folder into `out`, with the class files made from all of them; return them."""
    _check_out(out, folders)
    shards = [read_folder(folder) for folder in folders]
    _check_alike(shards)
    count = _check_set(shards)
    _check_each_student_once(shards)
    missing = [] if count is None else _check_class(shards, count, allow_missing)
    if missing:
        say(f"katas grade: WARNING: shard(s) {', '.join(missing)} missing: their students are not in {out}")
    for shard in shards:
        for record in shard.records:
            reports.write_record(out, record)
    records = reports.all_records(out)
    reports.write_class_files(out, records)
    first = shards[0].settings
    settings = {key: first.get(key) for key, _ in ALIKE} | {
        "shard": None,
        "submissions": sorted(record["student"] for record in records),
        "merged": [{"folder": str(shard), "shard": shard.settings.get("shard")} for shard in shards],
        "missing_shards": missing,
    }
    write_atomically(out / SETTINGS, json.dumps(settings, indent=1, ensure_ascii=False))
    say(f"katas grade: merged {len(records)} student(s) from {len(shards)} folder(s) into {out}")
    return records


def read_folder(folder: Path) -> ShardFolder:
    settings = reports.read_record(folder / SETTINGS)
    if not isinstance(settings, dict):
        raise MergeError(f"{folder} has no readable {SETTINGS}: give the output folders of `katas grade --shard K/N`")
    records = []
    for path in sorted((folder / reports.RESULTS).glob("*.json")):
        record = reports.read_record(path)
        if not isinstance(record, dict) or "student" not in record:
            raise MergeError(f"{path} cannot be read as a student's results: grade that shard again")
        records.append(record)
    return ShardFolder(folder, settings, records)


def _check_out(out: Path, folders: list[Path]) -> None:
    if not folders:
        raise MergeError("--merge needs the output folders of the shards to merge")
    if any(out.resolve() == folder.resolve() for folder in folders):
        raise MergeError(f"{out} is one of the folders to merge: merge into another folder")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise MergeError(f"{out} is not a new or empty folder: the merge writes the whole class into one")


def _check_alike(shards: list[ShardFolder]) -> None:
    """The settings of every folder, and of every record in it, are the same."""
    differences = []
    for key, label in ALIKE:
        where: dict[str, list[str]] = {}
        for shard in shards:
            value = _shown(shard.settings.get(key))
            where.setdefault(value, []).append(str(shard))
            for record in shard.records:
                if _shown(record.get(key)) != value:  # a result left from another grading run in that folder
                    where.setdefault(_shown(record.get(key)), []).append(
                        f"{shard.folder / reports.RESULTS / record['student']}.json"
                    )
        if len(where) > 1:
            differences.append(
                f"{label}s differ: " + "; ".join(f"{value} in {_names(places)}" for value, places in where.items())
            )
    if differences:
        raise MergeError(
            "the folders were not graded alike, so their grades do not compare: "
            + ". ".join(differences)
            + ". Grade every shard with the same --seed, --profile and --kata, from the same copy of the course"
        )


def _check_each_student_once(shards: list[ShardFolder]) -> None:
    where: dict[str, list[str]] = {}
    for shard in shards:
        for record in shard.records:
            where.setdefault(record["student"], []).append(str(shard))
    twice = {student: folders for student, folders in where.items() if len(folders) > 1}
    if twice:
        raise MergeError(
            "students graded in more than one folder: "
            + "; ".join(f"{student} in {', '.join(folders)}" for student, folders in sorted(twice.items()))
            + ". Each student belongs in one shard: give each shard's folder once"
        )


def _check_set(shards: list[ShardFolder]) -> int | None:
    """The folders are shards of one K/N set, each K at most once: return N (None for folders graded whole, two
    sections of a class, say, where each student once is all there is to check)."""
    try:
        given = [(shard, shard.shard) for shard in shards]
    except ValueError as error:
        raise MergeError(f"a {SETTINGS} names no shard K/N: {error}") from None
    whole = [str(shard) for shard, which in given if which is None]
    if len(whole) == len(shards):
        return None
    if whole:
        raise MergeError(
            f"{_names(whole)} graded without --shard, the others with it: merge the folders of one K/N set"
        )
    counts = {which[1] for _, which in given}
    if len(counts) > 1:
        raise MergeError(
            "shards of different K/N sets: " + ", ".join(f"{shard.settings['shard']} in {shard}" for shard in shards)
        )
    count = counts.pop()
    by_index: dict[int, list[str]] = {}
    for shard, (index, _) in given:
        by_index.setdefault(index, []).append(str(shard))
    if twice := {index: places for index, places in by_index.items() if len(places) > 1}:
        raise MergeError(
            "; ".join(f"shard {index}/{count} given twice: {', '.join(places)}" for index, places in twice.items())
        )
    return count


def _check_class(shards: list[ShardFolder], count: int, allow_missing: bool) -> list[str]:
    """Every shard read the same submissions and holds the results of exactly its share of them; return the
    shards of the K/N set missing (refused unless `allow_missing`)."""
    classes: dict[tuple[str, ...], list[str]] = {}
    for shard in shards:
        classes.setdefault(tuple(shard.settings.get("submissions") or ()), []).append(str(shard))
    if len(classes) > 1:
        everyone = set().union(*classes)
        raise MergeError(
            "the shards read different submissions (did a clone fail on one runner?): "
            + "; ".join(
                f"{_names(places)} read {len(students)}"
                + (f", not {_names(sorted(everyone - set(students)))}" if everyone - set(students) else "")
                for students, places in classes.items()
            )
            + ". Grade every shard on the same submissions"
        )
    for shard in shards:
        index = shard.shard[0]
        own = {student for student in shards[0].settings.get("submissions", []) if shard_of(student, count) == index}
        graded = {record["student"] for record in shard.records}
        if graded - own:
            raise MergeError(
                f"{shard} (shard {index}/{count}) holds results of students not its own: "
                f"{_names(sorted(graded - own))}. Grade each shard into a new folder"
            )
        if own - graded:
            raise MergeError(f"{shard} (shard {index}/{count}) has no result for {_names(sorted(own - graded))}")
    given = {shard.shard[0] for shard in shards}
    missing = [f"{index}/{count}" for index in range(1, count + 1) if index not in given]
    if missing and not allow_missing:
        left_out = sorted(
            student for student in shards[0].settings.get("submissions", []) if shard_of(student, count) not in given
        )
        raise MergeError(
            f"shard(s) {', '.join(missing)} missing: {len(left_out)} student(s) would have no grade "
            f"({_names(left_out)}). Give every shard's folder, or --allow-missing-shards to merge these alone"
        )
    return missing


def _shown(value) -> str:
    if value is None:
        return "none recorded"
    return ",".join(value) if isinstance(value, list) else str(value)


def _names(names: list[str]) -> str:
    return ", ".join(names[:SHOWN]) + (f" and {len(names) - SHOWN} more" if len(names) > SHOWN else "")
