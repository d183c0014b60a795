"""Throughput of `katas grade`, measured against the import floor of bench.py in the same run.

Two classes, each graded by one `grade()` call with a fresh output folder (the zoo for the seed built before
the clock starts, as a real grading run pays it once; the warm runners' start is on the clock):
  assignment  a two-kata assignment (katas pipeline and logits): 3 full solutions, 3 untouched stubs and
              2 faulty submissions whose code ends the grading process (`os._exit`) in two tasks, so that
              each is graded by three processes; target >= 10 submissions per minute
  full        one full-course full solution; target under 20 s
Each is reported in seconds, as a ratio to the floor, and per minute.

Usage, from the repository root:
    python bench/grade.py [--only assignment|full] [--jobs N] [--profile grade] [--seed N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
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

ASSIGNMENT = ("pipeline", "logits")
# Faulty: each ends its process in one function of each graded kata (a crash and a restart each).
ENDS_THE_PROCESS = {
    "01_pipeline.py": "\n\ndef continue_text(generator, prompt, max_new_tokens):\n    import os\n\n    os._exit(3)\n",
    "05_logits.py": "\n\ndef compute_logits(model, tokenizer, text):\n    import os\n\n    os._exit(3)\n",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["assignment", "full"], action="append")
    parser.add_argument("--jobs", type=int, default=0, help="side by side (default: one per core)")
    parser.add_argument("--profile", default="grade")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    course = load_course(ROOT)
    floors = [_floor()]
    with tempfile.TemporaryDirectory(prefix="katas-grade-bench-") as scratch:
        folder = Path(scratch)
        zoo = folder / "zoo"
        build_zoo(zoo, args.seed, say=lambda line: None)
        rows = []
        for name in args.only or ["assignment", "full"]:
            paths = _class(folder / name, name)
            out = folder / f"out-{name}"
            shutil.copytree(zoo, out / ".zoo")  # built already: not on the clock
            katas = ASSIGNMENT if name == "assignment" else ()
            options = GradeOptions(out=out, jobs=args.jobs, seed=args.seed, profile=args.profile, katas=katas)
            started = time.monotonic()
            records = grade(course, paths, options, say=lambda line: None)
            rows.append((name, len(paths), time.monotonic() - started, sorted(r["points"] for r in records)))
        floors.append(_floor())
    floor = statistics.median(floors)
    print(f"floor {floor:.2f} s (timed {', '.join(f'{f:.2f}' for f in floors)}); profile {args.profile}")
    for name, count, seconds, points in rows:
        print(
            f"{name:10} {count} submission(s) in {seconds:5.1f} s = {seconds / floor:4.1f}x floor, "
            f"{60 * count / seconds:5.1f} per minute; points {points}"
        )


def _floor() -> float:
    started = time.monotonic()
    subprocess.run([sys.executable, "-c", FLOOR_IMPORT], check=True, cwd=ROOT)
    return time.monotonic() - started


def _class(folder: Path, name: str) -> list[Path]:
    if name == "full":
        return [_submission(folder / "full", "solutions")]
    paths = [_submission(folder / f"solution-{i}", "solutions") for i in range(3)]
    paths += [_submission(folder / f"stub-{i}", "katas") for i in range(3)]
    for i in range(2):
        path = _submission(folder / f"faulty-{i}", "solutions")
        for file, ending in ENDS_THE_PROCESS.items():
            with open(path / "katas" / file, "a") as kata:
                kata.write(ending)
        paths.append(path)
    return paths


def _submission(folder: Path, source: str) -> Path:
    shutil.copytree(ROOT / source, folder / "katas", ignore=shutil.ignore_patterns("__pycache__"))
    return folder


if __name__ == "__main__":
    main()
