"""A check in a notebook, timed as a learner lives it: a real Jupyter kernel (jupyter_client + ipykernel of this
Python) started in the course folder runs a kata notebook's set-up cell, the kata's solution and a first check
(which warms the kernel up), then the same check again, `repeat` times: the row is the time of those second
checks, from the request to the kernel until the cell has run (target 0.5x the import floor timed beside them).
Used by bench.py (`--only notebook`); needs the notebook extra (`pip install -e ".[notebook]"`).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def check_seconds(kata, repeat: int, floor) -> tuple[list[float], list[float]]:
    from jupyter_client.manager import start_new_kernel

    from katakit.manifest import load_course
    from katakit.notebooks.cells import cell_source, tags
    from katakit.notebooks.write import notebook

    setup = next(cell_source(cell) for cell in notebook(load_course(ROOT), kata)["cells"] if "setup" in tags(cell))
    solution = (ROOT / "solutions" / kata.file).read_text(encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("KATAS_", "PYTEST_"))}
    manager, client = start_new_kernel(kernel_name="python3", cwd=str(ROOT), env=env)
    check = f"katakit.check({kata.name!r})"
    try:
        for code in (setup, solution, check):
            _run(client, code)
        times, floors = [], []
        for _ in range(repeat):
            floors.append(floor())
            started = time.perf_counter()
            _run(client, check)
            times.append(time.perf_counter() - started)
        return times, floors
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def _run(client, code: str) -> None:
    reply = client.execute_interactive(code, timeout=600, output_hook=lambda message: None)
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"the cell failed: {reply['content'].get('ename')}: {reply['content'].get('evalue')}")
