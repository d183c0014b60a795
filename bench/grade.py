"""Throughput of `katas grade`: a class of full solutions and untouched stubs, graded in one command.

Reports seconds per submission and submissions per hour, and the import floor of bench.py measured in
the same run, so that figures from different machines compare as ratios. The zoo for the grading seed is
built before the clock starts (a real grading run pays it once, about ten seconds).

Usage, from the repository root:
    python bench/grade.py [--solutions N] [--stubs N] [--jobs N] [--profile grade] [--kata NAME]...
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import FLOOR_IMPORT  # noqa: E402  (bench/bench.py, beside this file)
from katakit.grading.command import GradeOptions, build_zoo, grade  # noqa: E402
from katakit.manifest import load_course  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--solutions", type=int, default=2, help="full-solution submissions")
    parser.add_argument("--stubs", type=int, default=2, help="untouched-stub submissions")
    parser.add_argument("--jobs", type=int, default=0, help="side by side (default: one per core)")
    parser.add_argument("--profile", default="grade")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--kata", action="append", default=[])
    args = parser.parse_args()

    started = time.monotonic()
    subprocess.run([sys.executable, "-c", FLOOR_IMPORT], check=True, cwd=ROOT)
    floor = time.monotonic() - started
    with tempfile.TemporaryDirectory(prefix="katas-grade-bench-") as scratch:
        folder = Path(scratch)
        paths = [_submission(folder / f"solution-{i}", "solutions") for i in range(args.solutions)]
        paths += [_submission(folder / f"stub-{i}", "katas") for i in range(args.stubs)]
        out = folder / "out"
        build_zoo(out / ".zoo", args.seed, say=lambda line: None)
        options = GradeOptions(out=out, jobs=args.jobs, seed=args.seed, profile=args.profile, katas=tuple(args.kata))
        started = time.monotonic()
        records = grade(load_course(ROOT), paths, options, say=print)
        elapsed = time.monotonic() - started
    per = elapsed / len(paths)
    print(
        f"floor {floor:.2f} s; {len(paths)} submissions ({args.solutions} solutions, {args.stubs} stubs, "
        f"profile {args.profile}) in {elapsed:.1f} s: {per:.1f} s per submission = {per / floor:.1f}x floor, "
        f"{3600 / per:.0f} per hour; points: {sorted(r['points'] for r in records)}"
    )


def _submission(folder: Path, source: str) -> Path:
    shutil.copytree(ROOT / source, folder / "katas", ignore=shutil.ignore_patterns("__pycache__"))
    return folder


if __name__ == "__main__":
    main()
