"""`katas grade`: grade many submissions with the instructor's tests, several at a time."""

from __future__ import annotations

import json
import os
import queue
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from katakit.atomic import write_atomically
from katakit.grading import reports
from katakit.grading.sandbox import GradingError, GradingRun, Limits, Outcome, Slot
from katakit.grading.sandbox import fingerprint as _fingerprint
from katakit.grading.scoring import task_scores
from katakit.grading.shards import SETTINGS, in_shard, shard_text
from katakit.grading.submissions import Submission, SubmissionError, read_submission
from katakit.manifest import Course, Kata
from katakit.pristine import pristine_folder

TAMPERED = "tampered"
GRADER_FILES = ("tests", "katakit", "pyproject.toml")  # what decides a verdict: no grading run may change it


@dataclass(frozen=True)
class GradeOptions:
    out: Path
    jobs: int = 0  # 0: one per core
    seed: int | None = None  # None: the one recorded in `out`, or a new random one
    profile: str = "grade"
    katas: tuple[str, ...] = ()  # () : every kata of the course
    regrade: bool = False
    limits: Limits = field(default_factory=Limits)
    shard: tuple[int, int] | None = None  # (K, N): grade only the submissions of shard K of N (grading.shards)


def grade(course: Course, paths: list[Path], options: GradeOptions, say: Callable[[str], None] = print) -> list[dict]:
    """Grade every submission in `paths` not graded yet in `options.out`; return every record there."""
    katas = _selected(course, options.katas)
    submissions = _read_all(course, paths)
    version = course_version(course.root)
    options = _settle(options, katas, version, submissions)
    mine = [s for s in submissions if in_shard(s.student, options.shard)]
    todo = [s for s in mine if options.regrade or not _up_to_date(options.out, s, options, katas, version)]
    in_this_shard = f", {len(mine)} in shard {shard_text(options.shard)}" if options.shard else ""
    say(
        f"katas grade: {len(submissions)} submission(s){in_this_shard}, {len(todo)} to grade; seed {options.seed}, "
        f"hypothesis profile {options.profile}, results in {options.out}"
    )
    if todo:
        zoo = build_zoo(options.out / ".zoo", options.seed, say)
        run = GradingRun(course.root.resolve(), zoo, options.seed, options.profile, options.limits)
        jobs = options.jobs or os.cpu_count() or 1
        started = time.monotonic()
        for record in _grade_all(todo, run, katas, options, jobs, version):
            say(
                f"  {record['student']}: {record['points']:g}/{record['max_points']:g} points"
                + (" (tampering detected)" if record["tampering"] else "")
            )
        if course_version(course.root) != version:
            raise GradingError("the course's tests or tools changed during grading: the grades are not trustworthy")
        elapsed = time.monotonic() - started
        say(
            f"katas grade: graded {len(todo)} in {elapsed:.0f} s ({elapsed / len(todo):.1f} s per submission, "
            f"{min(jobs, len(todo))} at a time)"
        )
    records = reports.all_records(options.out)
    reports.write_class_files(options.out, records)
    return records


def _selected(course: Course, names: tuple[str, ...]) -> list[Kata]:
    unknown = [name for name in names if course.kata_named(name) is None]
    if unknown:
        raise SubmissionError(
            f"no kata named {', '.join(unknown)}; the katas are: " + ", ".join(kata.name for kata in course.katas)
        )
    return [kata for kata in course.katas if not names or kata.name in names]


def _read_all(course: Course, paths: list[Path]) -> list[Submission]:
    submissions = [read_submission(path, course) for path in paths]
    names = [s.student for s in submissions]
    if twice := sorted({name for name in names if names.count(name) > 1}):
        raise SubmissionError(f"two submissions would be graded as {', '.join(twice)}: rename one of them")
    return submissions


def course_version(root: Path) -> str:
    """What decides a verdict, in one string: the package's version and a digest of the tests and tools."""
    try:
        package = metadata.version("transformers-katas")
    except metadata.PackageNotFoundError:
        package = "unknown"
    return f"{package}+{_fingerprint(root, GRADER_FILES)[:16]}"


def _settle(options: GradeOptions, katas: list[Kata], version: str, submissions: list[Submission]) -> GradeOptions:
    """The seed given, else the one this output folder was graded with, else a new one; recorded with this run's
    other settings and the names of every submission read (what `katas grade --merge` checks)."""
    path = options.out / SETTINGS
    recorded = reports.read_record(path) or {}
    seed = options.seed if options.seed is not None else recorded.get("seed", secrets.randbelow(2**31))
    settings = {
        "seed": seed,
        "profile": options.profile,
        "katas": [kata.name for kata in katas],
        "course_version": version,
        "shard": shard_text(options.shard),
        "submissions": sorted(s.student for s in submissions),
    }
    if recorded != settings:
        write_atomically(path, json.dumps(settings, indent=1, ensure_ascii=False))
    return replace(options, seed=seed)


def _up_to_date(out: Path, submission: Submission, options: GradeOptions, katas: list[Kata], version: str) -> bool:
    record = reports.read_record(reports.result_path(out, submission.student))
    return bool(record) and (
        record.get("digest"),
        record.get("seed"),
        record.get("profile"),
        record.get("katas"),
        record.get("course_version"),
    ) == (submission.digest, options.seed, options.profile, [kata.name for kata in katas], version)


def _grade_all(
    todo: list[Submission], run: GradingRun, katas: list[Kata], options: GradeOptions, jobs: int, version: str
):
    """Each record as it is made: `jobs` worker threads, each with its slot (katakit.grading.sandbox.Slot:
    a warm runner, opened and closed in that thread), taking the parts of the submissions in turn."""
    groups = _kata_groups(katas, max(1, jobs // len(todo)), run.course_root)
    waiting: queue.Queue = queue.Queue()
    for index in _most_work_first(todo, katas, run.course_root):
        for group in groups:
            waiting.put((index, todo[index], group))
    made: queue.Queue = queue.Queue()

    def work(number: int) -> None:
        slot = None
        try:
            while True:
                try:
                    index, submission, group = waiting.get_nowait()
                except queue.Empty:
                    return
                slot = slot or Slot(run, options.out / ".work" / f"slot-{number}")
                test_files = tuple(run.course_root / kata.test_file for kata in group)
                made.put((index, slot.grade(submission.write_katas, test_files)))
        except BaseException as error:  # noqa: BLE001 (raised again in the caller's thread)
            made.put(error)
        finally:
            if slot is not None:
                slot.close()

    workers = min(jobs, waiting.qsize())
    threads = [threading.Thread(target=work, args=(n,), name=f"katas-grader-{n}", daemon=True) for n in range(workers)]
    for thread in threads:
        thread.start()
    parts: dict[int, list[Outcome]] = {}
    try:
        while len(parts) < len(todo) or any(len(done) < len(groups) for done in parts.values()):
            part = made.get()
            if isinstance(part, BaseException):
                raise part
            index, outcome = part
            parts.setdefault(index, []).append(outcome)
            if len(parts[index]) == len(groups):
                yield _record_of(todo[index], Outcome.joined(parts[index], katas), katas, options, version)
    finally:
        while not waiting.empty():  # stopped early (an error): the workers take nothing more
            waiting.get_nowait()
        for thread in threads:
            thread.join()


def _most_work_first(todo: list[Submission], katas: list[Kata], root: Path) -> list[int]:
    """The submissions' indexes, those with the most kata files holding work first: untouched stubs take a second,
    and graded last they fill the workers' last minutes evenly."""
    stubs = pristine_folder(root)

    def work(submission: Submission) -> int:
        return sum(
            kata.file in submission.files and submission.files[kata.file] != (stubs / kata.file).read_bytes()
            for kata in katas
        )

    return sorted(range(len(todo)), key=lambda index: -work(todo[index]))


def _kata_groups(katas: list[Kata], count: int, root: Path) -> list[tuple[Kata, ...]]:
    """The katas in `count` groups of about the same work (the size of their tests, the heaviest first), each
    in course order: fewer submissions than jobs (a lone one, as in a Classroom run) are graded in parts, side
    by side, so that every core works."""
    count = min(count, len(katas))
    groups: list[list[Kata]] = [[] for _ in range(count)]
    weights = [0] * count
    size = {kata.name: (root / kata.test_file).stat().st_size for kata in katas}
    for kata in sorted(katas, key=lambda k: -size[k.name]):
        lightest = weights.index(min(weights))
        groups[lightest].append(kata)
        weights[lightest] += size[kata.name]
    return [tuple(kata for kata in katas if kata in group) for group in groups]


def _record_of(
    submission: Submission, outcome: Outcome, katas: list[Kata], options: GradeOptions, version: str
) -> dict:
    tests = list(outcome.tests.values())
    if outcome.zoo_changed:
        tests = [
            {
                **test,
                "outcome": TAMPERED,
                "message": "tampering: the models were modified during grading, "
                "so no result of this submission can be trusted. " + test["message"],
            }
            for test in tests
        ]
    scores = task_scores(katas, tests)
    record = {
        "student": submission.student,
        "source": str(submission.source),
        "digest": submission.digest,
        "graded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "seed": options.seed,
        "profile": options.profile,
        "katas": [kata.name for kata in katas],
        "course_version": version,
        "network": outcome.network,
        "processes": outcome.processes,
        "notes": list(submission.notes),
        "missing": [kata.file for kata in katas if kata.file not in submission.files],
        "points": round(sum(score.points for score in scores), 2),
        "max_points": sum(score.max_points for score in scores),
        "tampering": sorted({test["message"].split(" (kata")[0] for test in tests if test["outcome"] == TAMPERED}),
        "tasks": [score.as_dict() for score in scores],
        "tests": tests,
    }
    reports.write_record(options.out, record)
    return record


def build_zoo(root: Path, seed: int, say: Callable[[str], None]) -> Path:
    """Every model the tests use, built for `seed` before any submission runs (a graded kata may write
    nowhere but its scratch folder, so the zoo cannot be built during its run)."""
    from katakit import zoo

    started = time.monotonic()
    previous = os.environ.get("KATAS_CACHE_DIR")
    os.environ["KATAS_CACHE_DIR"] = str(root)
    try:
        for name, params in zoo.course_models():
            zoo.model_dir(name, seed=seed, **params)
    finally:
        if previous is None:
            os.environ.pop("KATAS_CACHE_DIR")
        else:
            os.environ["KATAS_CACHE_DIR"] = previous
    say(f"katas grade: the models for seed {seed} are ready ({time.monotonic() - started:.0f} s)")
    return root
