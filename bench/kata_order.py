"""Does running the tests in kata order make the suite slower (issue 12)?

katakit.plugin sorts the collected tests into kata order (`pytest_collection_modifyitems_in_kata_order`);
without it, pytest's own fixture grouping interleaves some test files. This times `pytest --solutions` in two
copies of the course, one as it is and one with that sort taken out, in turns, `--repeat` times each, with the
import floor beside them, and prints the medians.

Usage, from the repository root with the course's Python:  python bench/kata_order.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SORT = "        items.sort(key=in_course_order)\n"
FLOOR = [sys.executable, "-c", "from transformers import pipeline, AutoTokenizer, AutoModelForCausalLM, AutoModel"]
SUITE = [sys.executable, "-m", "pytest", "--solutions", "-q", "-p", "no:cacheprovider"]


def copy_course(target: Path, ordered: bool) -> Path:
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in files.decode().split("\0"):
        if name and (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            (target / name).write_bytes((ROOT / name).read_bytes())
    if not ordered:
        plugin = target / "katakit" / "plugin.py"
        source = plugin.read_text()
        if source.count(SORT) != 1:
            sys.exit(f"the kata-order sort is no longer `{SORT.strip()}` in katakit/plugin.py: update {__file__}")
        plugin.write_text(source.replace(SORT, "        pass  # pytest's own order, for bench/kata_order.py\n"))
    return target


def seconds(command: list[str], cwd: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(cwd)}  # the copy's katakit, not the installed one
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"failed in {cwd.name}: {' '.join(command)}\n{result.stdout[-3000:]}{result.stderr[-2000:]}")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    with tempfile.TemporaryDirectory(prefix="katas-order-") as scratch:
        copies = {
            ordered: copy_course(Path(scratch) / ("ordered" if ordered else "unordered"), ordered)
            for ordered in (True, False)
        }
        for copy in copies.values():
            where = subprocess.run(
                [sys.executable, "-c", "import katakit; print(katakit.__file__)"],
                cwd=copy,
                env={**os.environ, "PYTHONPATH": str(copy)},
                capture_output=True,
                text=True,
            )
            assert where.stdout.startswith(str(copy)), f"katakit resolves to {where.stdout} in {copy}"
        seconds(SUITE, copies[True])  # untimed: the zoo cached, the files read once
        times: dict[str, list[float]] = {"floor": [], "kata order": [], "pytest order": []}
        for run in range(1, repeat + 1):
            times["floor"].append(seconds(FLOOR, ROOT))
            times["kata order"].append(seconds(SUITE, copies[True]))
            times["pytest order"].append(seconds(SUITE, copies[False]))
            print(
                f"run {run}: " + ", ".join(f"{name} {values[-1]:.1f} s" for name, values in times.items()), flush=True
            )
        floor = statistics.median(times["floor"])
        for name, values in times.items():
            median = statistics.median(values)
            print(f"{name:<13} median {median:6.1f} s  {median / floor:5.2f}x floor")


if __name__ == "__main__":
    main()
