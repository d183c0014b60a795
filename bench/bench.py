"""Wall-clock benchmark of the kata suite, measured against the cost of importing transformers.

Every kata run pays for Python, pytest and transformers before a single test starts, so the
times here are reported as ratios to an import floor: a fresh interpreter that imports
`pipeline`, `AutoTokenizer`, `AutoModelForCausalLM` and `AutoModel`. That is the pipeline
import, the least any kata run must load; a bare `import transformers` is lazy and would make
a floor that measures almost nothing.

Measured, each in a subprocess from the repository root, `--repeat` times (median and min):
  floor        the import above, at the start and again at the end (all its times make one median)
  warm suite   `pytest --solutions` with the tiny-model zoo already cached (target 4.0x floor
               for the whole course; the three foundation katas alone met 3.0x)
  cold suite   the same with `KATAS_CACHE_DIR` set to a fresh empty folder, so the zoo is built
  one kata     `pytest --solutions tests/test_01_pipeline.py`, warm (target 1.5x floor)
  katas check  the course author's `katas check`, as rerun after a first one (the zoo cached, each mutant's
               killing test remembered); target 15.4x floor: 1.5x its 40 s of when the floor was 3.9 s
  watch start  `katas watch pipeline` until its first verdict (target 1.5x)
  save NN      a kata file saved under a running `katas watch`, until its verdict is on screen
               (target 0.25x for katas 1 and 8, 0.4x for every kata)
  next         `katas next` after a full run, on an untouched kata and on a failing one (target 1.3x)
  notebook NN  the second check of a kata in a Jupyter kernel, its solution in the notebook (target 0.5x;
               bench/notebook.py)
The learner's-loop rows run in a copy of the course (bench/loop.py); each is a ratio to the floor timed
beside it (column "floor s"), the others to the median of every floor time of the run.

Usage, from the repository root:  python bench/bench.py [--repeat N] [--only NAME...] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOOR_IMPORT = "from transformers import pipeline, AutoTokenizer, AutoModelForCausalLM, AutoModel"
# No cache provider: a .pytest_cache written by one run must not change the next.
PYTEST = [sys.executable, "-m", "pytest", "--solutions", "-q", "-p", "no:cacheprovider"]
OUTPUT_TAIL_LINES = 40


@dataclass
class Benchmark:
    name: str
    command: list[str]
    target: float | None = None  # allowed median / floor median
    cold: bool = False  # build the model zoo from scratch on every repetition


BENCHMARKS = [
    Benchmark("warm suite", PYTEST, target=4.0),
    Benchmark("cold suite", PYTEST, cold=True),
    Benchmark("one kata", [*PYTEST, "tests/test_01_pipeline.py"], target=1.5),
    Benchmark("katas check", [sys.executable, "-m", "katakit.cli", "check"], target=1.5 * 40 / 3.9),
]
FLOOR = Benchmark("floor", [sys.executable, "-c", FLOOR_IMPORT])
# Katas whose save-to-verdict must stay under the tighter target.
QUICK_SAVES = ("pipeline", "sequence_classification")


def run_timed(command: list[str], env: dict[str, str]) -> float:
    """Seconds `command` took; prints its output tail and exits 1 if it failed."""
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        tail = (result.stdout + result.stderr).splitlines()[-OUTPUT_TAIL_LINES:]
        print(f"command failed (exit {result.returncode}): {' '.join(command)}", file=sys.stderr)
        print("\n".join(tail), file=sys.stderr)
        sys.exit(1)
    return elapsed


def time_once(benchmark: Benchmark) -> float:
    if not benchmark.cold:
        return run_timed(benchmark.command, dict(os.environ))
    with tempfile.TemporaryDirectory(prefix="katas-cold-cache-") as cache_dir:
        return run_timed(benchmark.command, {**os.environ, "KATAS_CACHE_DIR": cache_dir})


def row(name: str, times: list[float], target: float | None = None, floors: list[float] | None = None) -> dict:
    """`floors`: the floor timed beside this row; the row's ratio is to their median (else to the run's)."""
    return {
        "name": name,
        "median_s": statistics.median(times),
        "min_s": min(times),
        "times_s": times,
        "target_ratio": target,
        "floor_s": statistics.median(floors) if floors else None,
    }


def loop_rows(repeat: int, only: list[str], floors: list[float]) -> list[dict]:
    import loop  # bench/loop.py

    def floor() -> float:
        floors.append(time_once(FLOOR))
        return floors[-1]

    rows = []
    if wanted("watch start", only):
        print("timing watch start ...", file=sys.stderr, flush=True)
        times, beside = loop.watch_start(repeat, floor)
        rows.append(row("watch start", times, 1.5, beside))
    if wanted("save", only):
        print("timing watch saves ...", file=sys.stderr, flush=True)
        for number, (kata, (times, beside)) in enumerate(loop.watch_saves(repeat, floor).items(), start=1):
            rows.append(row(f"save {number:02} {kata}", times, 0.25 if kata in QUICK_SAVES else 0.4, beside))
    if wanted("notebook", only):
        import notebook  # bench/notebook.py

        from katakit.manifest import load_course

        print("timing checks in a notebook's kernel ...", file=sys.stderr, flush=True)
        for number, kata in enumerate(load_course(ROOT).katas, start=1):
            times, beside = notebook.check_seconds(kata, repeat, floor)
            rows.append(row(f"notebook {number:02} {kata.name}", times, 0.5, beside))
    if wanted("next", only):
        print("timing katas next ...", file=sys.stderr, flush=True)
        for label, wrong_next in (("untouched", False), ("failing", True)):
            times, beside = loop.katas_next(repeat, wrong_next, floor)
            rows.append(row(f"next, {label}", times, 1.3, beside))
    return rows


def wanted(name: str, only: list[str]) -> bool:
    return not only or any(name.startswith(choice) or choice.startswith(name) for choice in only)


def add_ratios(results: list[dict], floor: float) -> None:
    for result in results:
        result["ratio"] = result["median_s"] / (result["floor_s"] or floor)
        target = result["target_ratio"]
        result["within_target"] = None if target is None else result["ratio"] <= target


def print_table(results: list[dict]) -> None:
    print(f"{'benchmark':<32} {'median s':>9} {'min s':>8} {'floor s':>8} {'ratio':>7}  target")
    for r in results:
        target = ""
        if r["target_ratio"] is not None:
            target = f"{r['target_ratio']:.2f}x {'PASS' if r['within_target'] else 'OVER'}"
        floor = f"{r['floor_s']:.2f}" if r["floor_s"] else "run's"
        print(f"{r['name']:<32} {r['median_s']:>9.2f} {r['min_s']:>8.2f} {floor:>8} {r['ratio']:>6.2f}x  {target}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per benchmark (default 3)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures here as JSON")
    parser.add_argument(
        "--only",
        nargs="+",
        default=[],
        metavar="NAME",
        help="time only these rows (and the floor): warm, cold, one, katas, watch, save, next, notebook",
    )
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def main() -> None:
    args = parse_args()
    # Untimed warm-up: builds the default zoo cache, so "warm" runs really are warm.
    run_timed(PYTEST, dict(os.environ))
    floor_times = [time_once(FLOOR) for _ in range(args.repeat)]
    results = []
    for benchmark in BENCHMARKS:
        if wanted(benchmark.name, args.only):
            print(f"timing {benchmark.name} ...", file=sys.stderr, flush=True)
            results.append(row(benchmark.name, [time_once(benchmark) for _ in range(args.repeat)], benchmark.target))
    results += loop_rows(args.repeat, args.only, floor_times)
    # The machine's speed drifts: the floor is timed again at the end, and all its times make its median.
    floor_times += [time_once(FLOOR) for _ in range(args.repeat)]
    floor = row("floor", floor_times)
    add_ratios([floor, *results], floor["median_s"])
    print_table([floor, *results])
    if args.json:
        payload = {"repeat": args.repeat, "python": sys.version.split()[0], "results": [floor, *results]}
        args.json.write_text(json.dumps(payload, indent=2) + "\n")


if __name__ == "__main__":
    main()
