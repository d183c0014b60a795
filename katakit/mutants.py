"""Variants of the solutions that prove the tests right from both sides.

- Mutants, `mutants/<kata>/<task>_<mistake>.py`: plausible wrong solutions, which the tests must reject.
- Alternatives, `alternatives/<kata>/<task>_<approach>.py`: correct solutions written another way than
  `solutions/` (another equivalent API call, another valid order of steps), which the tests must accept:
  a check that rejects one of them is too strict, and a learner who wrote it would be told wrong.

A variant file is a one-line docstring naming the mistake or the approach, then only the function(s) that
carry it; the variant kata is `solutions/<file>` followed by that text (a later `def` replaces the solution's).
`pytest --katas-mutants` runs each kata's tests on every variant of that kata, each test only on the variants
of its own task; `katas check` requires each mutant to fail at least one of them and each alternative to
pass them all.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from katakit.atomic import write_atomically
from katakit.manifest import Course, Kata

# kind -> its folder; a test's id names the kind: `[mutant=pipeline/2_prompt_kept]`.
FOLDERS = {"mutant": "mutants", "alternative": "alternatives"}
NAME = re.compile(r"(?P<task>\d+)_(?P<mistake>[a-z0-9_]+)\.py")


@dataclass(frozen=True)
class Mutant:
    kata: Kata
    task: int
    mistake: str  # or, for an alternative, the approach
    path: Path
    kind: str = "mutant"

    @property
    def label(self) -> str:
        """How tests and reports name it: `kind=kata/task_mistake`."""
        return f"{self.kind}={self.kata.name}/{self.task}_{self.mistake}"

    @property
    def shown_as(self) -> str:
        return f"{FOLDERS[self.kind]}/{self.kata.name}/{self.task}_{self.mistake}.py"

    @property
    def docstring(self) -> str:
        return ast.get_docstring(ast.parse(self.path.read_text(encoding="utf-8"))) or ""

    def write_kata(self, root: Path, folder: Path) -> Path:
        """Write the mutant kata file into `folder` (a folder laid out like katas/); return the file."""
        solution = (root / "solutions" / self.kata.file).read_text(encoding="utf-8")
        target = folder / self.kata.file
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(solution + "\n\n" + self.path.read_text(encoding="utf-8"), encoding="utf-8")
        return target


def find_mutants(course: Course) -> tuple[list[Mutant], list[str]]:
    """Every mutant and alternative of the course's katas, and a problem per file that is not well-formed."""
    mutants, problems = [], []
    for kind, folder in FOLDERS.items():
        found, wrong = _find(course, kind, course.root / folder)
        mutants += found
        problems += wrong
    return mutants, problems


def _find(course: Course, kind: str, folder: Path) -> tuple[list[Mutant], list[str]]:
    mutants, problems = [], []
    for path in sorted(folder.glob("*/*.py")):
        where = path.relative_to(course.root).as_posix()
        kata = course.kata_named(path.parent.name)
        match = NAME.fullmatch(path.name)
        if kata is None:
            problems.append(f"{where}: {path.parent.name!r} is no kata of katas/katas.toml")
        elif match is None or kata.task(int(match["task"])) is None:
            problems.append(
                f"{where}: name it <task>_<mistake>.py, with a task of kata {kata.name} "
                f"(1 to {len(kata.tasks)}) and the mistake in snake_case"
            )
        else:
            mutant = Mutant(kata, int(match["task"]), match["mistake"], path, kind)
            if not mutant.docstring.strip() or "\n" in mutant.docstring.strip():
                named = "the mistake" if kind == "mutant" else "the approach"
                problems.append(f"{where}: start it with a one-line docstring naming {named}")
            else:
                mutants.append(mutant)
    return mutants, problems


def mutant_of_test_id(nodeid: str) -> str | None:
    """The label of the variant a test ran on, from its node id, or None."""
    match = re.search(r"((?:" + "|".join(FOLDERS) + r")=[a-z0-9_]+/[0-9]+_[a-z0-9_]+)", nodeid)
    return match[1] if match else None


def killers_first(items, first_kills: dict[str, str]) -> None:
    """Order a mutant run's tests: each variant's tests of one file together, and first among them the test
    that killed that mutant in the last check (`first_kills`: label -> node id). A mutant's later tests are
    skipped once one has failed, so a check then costs about one test per mutant. The order changes the time
    only, never a verdict: any failing test of its task kills a mutant, whichever runs first."""
    start: dict[tuple, int] = {}
    for index, item in enumerate(items):
        start.setdefault((item.path, mutant_of_test_id(item.nodeid)), index)

    def key(pair) -> tuple:
        index, item = pair
        label = mutant_of_test_id(item.nodeid)
        return start[(item.path, label)], item.nodeid != first_kills.get(label), index

    items[:] = [item for _, item in sorted(enumerate(items), key=key)]


def read_first_kills(path: Path | None) -> dict[str, str]:
    """The first kills a check remembered (only an order: a missing or unreadable file means none)."""
    try:
        found = json.loads(path.read_text(encoding="utf-8")) if path else {}
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def remember_first_kills(path: Path, results) -> None:
    """Add this check's kills (results: dicts with nodeid and outcome) to those remembered in `path`."""
    kills = read_first_kills(path)
    for result in results:
        label = mutant_of_test_id(result["nodeid"])
        if label and label.startswith("mutant=") and result["outcome"] not in ("passed", "skipped"):
            kills[label] = result["nodeid"]
    try:
        write_atomically(path, json.dumps(kills, indent=1, sort_keys=True))
    except OSError:  # only time is lost: the next check runs in the default order
        pass


class MutantKatas:
    """The mutant kata files of one pytest run, written to a temporary folder per mutant."""

    def __init__(self, course: Course, kind: str | None = None):
        """`kind`: "mutant" or "alternative" for only those, None for both."""
        self.scratch = Path(tempfile.mkdtemp(prefix="katas-mutants-"))
        mutants, problems = find_mutants(course)
        if problems:
            raise ValueError("\n".join(problems))
        mutants = [mutant for mutant in mutants if kind in (None, mutant.kind)]
        self.by_kata: dict[str, list[Mutant]] = {}
        self.folders: dict[str, Path] = {}
        for mutant in mutants:
            self.by_kata.setdefault(mutant.kata.name, []).append(mutant)
            self.folders[mutant.label] = self.scratch / mutant.label.replace("/", "__").replace("=", "-")
            mutant.write_kata(course.root, self.folders[mutant.label])

    def remove(self) -> None:
        shutil.rmtree(self.scratch, ignore_errors=True)


@dataclass
class MutantVerdict:
    kata: str
    task: int
    kind: str = "mutant"
    failed: bool = False  # a test of its task failed on it
    broken: str = ""  # the kata file did not even import: a typo in the variant, not a mistake it shows
    message: str = ""  # the first failure's message

    @property
    def killed(self) -> bool:
        return self.failed and not self.broken

    @property
    def accepted(self) -> bool:
        """For an alternative: every test of its task passed."""
        return not self.failed


def verdicts(results) -> dict[str, MutantVerdict]:
    """Mutant label -> its verdict, from a run's test results (dicts with nodeid, kata, task, outcome, message)."""
    found: dict[str, MutantVerdict] = {}
    for result in results:
        label = mutant_of_test_id(result["nodeid"])
        if label is None:
            continue
        verdict = found.setdefault(label, MutantVerdict(result["kata"], result["task"], label.split("=")[0]))
        if result["outcome"] not in ("passed", "skipped"):
            verdict.message = verdict.message or result["message"]
            verdict.failed = True
            if "fails when imported" in result["message"] or "Fix the syntax" in result["message"]:
                verdict.broken = result["message"][:200]
    return found


def write_mutant_summary(terminal, results) -> None:
    found = verdicts(vars(result) for result in results)
    terminal.section("transformers-katas: mutants and alternatives", sep="=")
    for label, verdict in found.items():
        if verdict.kind == "alternative":
            status, good = ("accepted" if verdict.accepted else "REJECTED"), verdict.accepted
        else:
            status = "killed  " if verdict.killed else "BROKEN  " if verdict.broken else "SURVIVED"
            good = verdict.killed
        terminal.write_line(f"{status} {label}", red=not good)
    mutants = [v for v in found.values() if v.kind == "mutant"]
    alternatives = [v for v in found.values() if v.kind == "alternative"]
    killed, accepted = sum(v.killed for v in mutants), sum(v.accepted for v in alternatives)
    terminal.write_line(
        f"{killed} of {len(mutants)} mutants killed, {accepted} of {len(alternatives)} alternatives accepted"
        if found
        else "no mutant ran"
    )
