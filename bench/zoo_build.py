"""Time the tiny-model zoo: every entry the fixtures use (for $KATAS_ZOO_SEED), built cold then found warm.

The library is imported first and not timed (every kata run pays for it anyway); the cache is a
fresh temporary folder, removed afterwards. Targets on a 2-core machine: cold 15 s, warm 1 s.

Usage, from the repository root:  python bench/zoo_build.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from katakit import quiet  # noqa: E402

quiet.silence_environment()


def entries() -> list[tuple[str, str, dict]]:
    from katakit.fixtures import ENCODER_SIZES
    from katakit.zoo import BUILDERS

    sizes = {"bert": ENCODER_SIZES}
    return [(label, name, params) for name in BUILDERS for label, params in sizes.get(name, {name: {}}).items()]


def build_all(label: str) -> float:
    from katakit.fixtures import zoo_dir

    start = time.perf_counter()
    for entry, name, params in entries():
        began = time.perf_counter()
        zoo_dir(name, **params)
        print(f"  {label} {entry:<12} {time.perf_counter() - began:6.3f} s")
    total = time.perf_counter() - start
    print(f"{label} total {total:.2f} s")
    return total


def main() -> None:
    import transformers  # noqa: F401
    from transformers import AutoModel, AutoModelForCausalLM, AutoTokenizer, pipeline  # noqa: F401

    quiet.silence_libraries()
    with tempfile.TemporaryDirectory(prefix="katas-zoo-bench-") as cache:
        os.environ["KATAS_CACHE_DIR"] = cache
        build_all("cold")
        build_all("warm")


if __name__ == "__main__":
    main()
