"""`katas check`: prove the course sound, kata by kata.

- the manifest and the tree agree: every kata has its stub, solution and test file, and no file
  in `katas/`, `solutions/` or `tests/` is left out of the manifest;
- every stub has a `# TODO:`, defines the same functions as its solution, each numbered by its
  task and with a body that raises NotImplementedError;
- every hypothesis test has an explicit @example, so an untouched stub fails at once instead of
  hypothesis searching and shrinking its NotImplementedError;
- the pristine copy of every stub, which `katas reset` restores, equals the stub byte for byte;
- every sentence a learner may read (katakit.i18n) has a translation in every catalogue of katakit/locale, not
  fuzzy, with the English's named placeholders, and no catalogue holds a sentence the course no longer has;
- every stub, cut into notebook cells (katakit.notebooks.cells), joins back into itself byte for byte, so that
  an untouched notebook is graded as the untouched stub;
- every task has a test; every test passes on the solution and fails on the untouched stub;
- every task has at least three mutants (`mutants/`, see katakit/mutants.py), and every mutant fails at
  least one test of its task: a surviving mutant is a mistake the tests would let through;
- every alternative (`alternatives/`), a correct solution written another way, passes every test of its
  task: a rejected one is a check too strict, that would tell a learner who wrote it they are wrong.

The pytest runs (solutions, stubs, mutants, alternatives) go side by side on warm runners
(katakit.runner.pool), one per core.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from katakit.i18n import LANGUAGES
from katakit.manifest import Course, Kata, ManifestError, load_course
from katakit.mutants import FOLDERS, MutantVerdict, find_mutants, remember_first_kills, verdicts
from katakit.notebooks.cells import join, split
from katakit.pristine import drift
from katakit.root_cause import task_number
from katakit.runner.client import RunnerFailed
from katakit.runner.pool import run_all
from katakit.runner.relay import Limits

TOOL_FILES = {"katas.toml"}
MUTANTS_PER_TASK = 3
# The test that killed each mutant, run first by the next check (katakit.mutants.killers_first).
FIRST_KILLS = Path(".katas") / "first-kills.json"
# A check's run has many tests' worth of output and may wait behind the other worker for a core.
RUN_LIMITS = Limits(stall_seconds=120.0, output_bytes=64 * 2**20)


@dataclass(frozen=True)
class Violation:
    kata: str
    text: str

    def __str__(self) -> str:
        return f"FAIL {self.kata}: {self.text}"


def check_course(root: Path, names: list[str] | None = None, echo=print) -> list[Violation]:
    try:
        course = load_course(root)
    except ManifestError as error:
        return [Violation("manifest", str(error))]
    found = {given: course.find(given) for given in names or ()}
    unknown = sorted(given for given, kata in found.items() if kata is None)
    if unknown:
        return [Violation("manifest", f"no kata named {', '.join(unknown)}; the katas are: {course.choices()}")]
    names = [kata.name for kata in found.values()]
    katas = [kata for kata in course.katas if not names or kata.name in names]
    violations = [] if names else tree_violations(course) + catalogue_violations(root)
    for kata in katas:
        violations += file_violations(root, kata)
        violations += pristine_violations(root, kata)
        violations += translated_stub_violations(root, kata)
    mutants, problems = find_mutants(course)
    violations += [Violation("mutants", problem) for problem in problems]
    for kata in katas:
        violations += mutant_count_violations(kata, [m for m in mutants if m.kata == kata])
    runnable = [kata for kata in katas if all((root / path).is_file() for path in _paths(kata))]
    if runnable:
        violations += run_violations(root, runnable, echo, with_mutants=bool(mutants) and not problems)
    return violations


def catalogue_violations(root: Path) -> list[Violation]:
    """Every sentence a learner reads, translated in every catalogue (katakit.translations)."""
    from katakit.translations import catalogue_problems

    return [Violation("translations", problem) for problem in catalogue_problems(root)]


def mutant_count_violations(kata: Kata, mutants: list) -> list[Violation]:
    found = []
    for task in kata.tasks:
        count = sum(mutant.task == task.number and mutant.kind == "mutant" for mutant in mutants)
        if count < MUTANTS_PER_TASK:
            found.append(
                Violation(
                    kata.name,
                    f"task {task.number} has {count} mutant(s) in mutants/{kata.name}/; "
                    f"write at least {MUTANTS_PER_TASK} plausible wrong solutions",
                )
            )
    return found


def _paths(kata: Kata) -> list[str]:
    return [f"katas/{kata.file}", f"solutions/{kata.file}", kata.test_file]


def tree_violations(course: Course) -> list[Violation]:
    listed = {kata.file for kata in course.katas}
    found = []
    for folder in ("katas", "solutions"):
        for path in sorted((course.root / folder).glob("*.py")):
            if path.name not in listed:
                found.append(Violation("manifest", f"{folder}/{path.name} is not a kata of katas/katas.toml"))
    tests = {kata.test_file for kata in course.katas}
    for path in sorted((course.root / "tests").glob("test_*.py")):
        if f"tests/{path.name}" not in tests:
            found.append(Violation("manifest", f"tests/{path.name} tests no kata of katas/katas.toml"))
    return found


def file_violations(root: Path, kata: Kata) -> list[Violation]:
    missing = [path for path in _paths(kata) if not (root / path).is_file()]
    if missing:
        return [Violation(kata.name, f"{path} is missing") for path in missing]
    stub_source = (root / "katas" / kata.file).read_text(encoding="utf-8")
    found = []
    if "# TODO:" not in stub_source:
        found.append(Violation(kata.name, f"katas/{kata.file} has no `# TODO:` to show the learner where to edit"))
    stub = _functions(stub_source)
    solution = _functions((root / "solutions" / kata.file).read_text(encoding="utf-8"))
    if stub.keys() != solution.keys():
        found.append(
            Violation(
                kata.name, f"katas/ and solutions/ define different functions: {sorted(stub)} vs {sorted(solution)}"
            )
        )
    numbers = sorted(task_number(function) for function in stub.values())
    expected = [task.number for task in kata.tasks]
    if numbers != expected:
        found.append(
            Violation(
                kata.name, f"the docstrings of katas/{kata.file} number tasks {numbers}; the manifest has {expected}"
            )
        )
    tests = ast.parse((root / kata.test_file).read_text(encoding="utf-8"))
    for function in ast.walk(tests):
        if (
            isinstance(function, ast.FunctionDef)
            and "given" in _decorators(function)
            and "example" not in _decorators(function)
        ):
            found.append(Violation(kata.name, f"{kata.test_file}: `{function.name}` uses @given without an @example"))
    if join([cell.source for cell in split(stub_source)]) != stub_source:
        found.append(
            Violation(
                kata.name,
                f"katas/{kata.file}: its notebook's kata cells would not join back into it: put exactly two blank "
                "lines between top-level definitions, and end the file with one newline",
            )
        )
    for name, function in stub.items():
        if not _only_raises_not_implemented(function):
            found.append(
                Violation(
                    kata.name,
                    f"katas/{kata.file}: `{name}` should end in `raise NotImplementedError` and do nothing else",
                )
            )
    return found


def translated_stub_violations(root: Path, kata: Kata) -> list[Violation]:
    """The stub in every other language (katakit.stub_prose) is the English stub's code with its prose translated:
    the same code, a `# TODO:`, each function numbered by its task."""
    from katakit.stub_prose import stub_in

    english = root / "katas" / kata.file
    if not english.is_file() or drift(root, kata):
        return []
    found = []
    for language in (code for code in LANGUAGES if code != "en"):
        text = stub_in(root, kata, language)
        where = f"katas/{kata.file} in {language}"
        if _code_of(text) != _code_of(english.read_text(encoding="utf-8")):
            found.append(Violation(kata.name, f"{where}: its code differs from the English stub's"))
        if "# TODO:" not in text:
            found.append(Violation(kata.name, f"{where} has no `# TODO:`: keep the marker in the translation"))
        numbers = sorted(task_number(function) or 0 for function in _functions(text).values())
        if numbers != [task.number for task in kata.tasks]:
            found.append(Violation(kata.name, f"{where}: its docstrings number tasks {numbers}: keep the leading `N.`"))
    return found


def _code_of(source: str) -> str:
    """The source's code without its docstrings (comments are no part of it either)."""
    tree = ast.parse(source)
    for node in [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef))]:
        body = node.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree)


def pristine_violations(root: Path, kata: Kata) -> list[Violation]:
    problem = drift(root, kata)
    return [Violation(kata.name, problem)] if problem else []


def _functions(source: str) -> dict[str, ast.FunctionDef]:
    tree = ast.parse(source)
    return {
        node.name: node for node in tree.body if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
    }


def _decorators(function: ast.FunctionDef) -> set[str]:
    names = set()
    for decorator in function.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        names.add(target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", ""))
    return names


def _only_raises_not_implemented(function: ast.FunctionDef) -> bool:
    body = function.body[1:] if ast.get_docstring(function) is not None else function.body
    if len(body) != 1 or not isinstance(body[0], ast.Raise) or body[0].exc is None:
        return False
    raised = body[0].exc.func if isinstance(body[0].exc, ast.Call) else body[0].exc
    return isinstance(raised, ast.Name) and raised.id == "NotImplementedError"


def run_violations(root: Path, katas: list[Kata], echo, with_mutants: bool = True) -> list[Violation]:
    runs = _pytest_runs(root, [kata.test_file for kata in katas], with_mutants)
    outcomes, found = {}, []
    for side, (run, output) in zip(runs, run_all(root, list(runs.values()), limits=RUN_LIMITS), strict=True):
        problem = str(run) if isinstance(run, RunnerFailed) else _run_problem(run)
        if problem:
            tail = "\n    ".join(output.decode(errors="replace").strip().splitlines()[-15:])
            found.append(Violation("pytest", f"the run on the {side}s {problem}:\n    {tail}"))
        else:
            outcomes[side] = {result.nodeid: vars(result) for result in run.results}
    if found:
        return found
    on_variants = [
        result
        for side, results in outcomes.items()
        if side != "solution" and not side.startswith("stub")
        for result in results.values()
    ]
    remember_first_kills(root / FIRST_KILLS, on_variants)
    on_mutants = verdicts(on_variants)
    for kata in katas:
        found += _kata_outcome_violations(
            kata,
            outcomes["solution"],
            outcomes["stub"],
            echo,
            {label: v for label, v in on_mutants.items() if v.kata == kata.name},
        )
    for side in (side for side in outcomes if side.startswith("stub in ")):
        found += _translated_stub_outcome_violations(side, outcomes["stub"], outcomes[side])
    mutants = [v for v in on_mutants.values() if v.kind == "mutant"]
    if mutants:
        killed = sum(v.killed for v in mutants)
        echo(f"mutants: {killed} of {len(mutants)} killed ({100 * killed / len(mutants):.0f}%)")
    alternatives = [v for v in on_mutants.values() if v.kind == "alternative"]
    if alternatives:
        echo(f"alternatives: {sum(v.accepted for v in alternatives)} of {len(alternatives)} accepted")
    return found


def _pytest_runs(root: Path, test_files: list[str], with_mutants: bool) -> dict[str, list[str]]:
    """Each pytest run of the check by what it runs on, the longest first (katakit.runner.pool)."""
    common = ["-q", "-p", "no:cacheprovider", "--no-header"]
    variants = ["--katas-mutants", "--hypothesis-profile=mutants", f"--katas-first-kills={root / FIRST_KILLS}"]
    runs = {}
    if with_mutants:
        runs["alternative"] = [*common, *variants, "--katas-variants=alternative", *test_files]
    runs["solution"] = [*common, "--solutions", *test_files]
    if with_mutants:  # in two runs, so that both workers stay busy to the end
        for side, files in (("mutant", test_files[0::2]), ("other mutant", test_files[1::2])):
            if files:
                runs[side] = [*common, *variants, "--katas-variants=mutant", *files]
    # One token: a separate PATH would be taken for a test path before the plugin is loaded.
    runs["stub"] = [*common, f"--katas-dir={root / 'katas'}", *test_files]
    for language, folder in translated_stub_folders(root, test_files).items():
        runs[f"stub in {language}"] = [*common, f"--katas-dir={folder}", *test_files]
    return runs


def translated_stub_folders(root: Path, test_files: list[str]) -> dict[str, Path]:
    """The stubs of these tests' katas in every other language, written under .katas/ for a run of their tests."""
    from katakit.stub_prose import stub_in

    course = load_course(root)
    katas = [kata for kata in course.katas if kata.test_file in test_files]
    folders = {}
    for language in (code for code in LANGUAGES if code != "en"):
        folder = root / ".katas" / f"stubs-{language}"
        folder.mkdir(parents=True, exist_ok=True)
        for kata in katas:
            (folder / kata.file).write_text(stub_in(root, kata, language), encoding="utf-8")
        folders[language] = folder
    return folders


def _run_problem(run) -> str | None:
    """How a run ended that did not end as a pytest run whose tests passed or failed; None if it did."""
    if run.returncode in (0, 1) and run.finished is not None:
        return None
    return f"ended with exit code {run.returncode}" + (f" ({problem})" if (problem := run.problem()) else "")


def _translated_stub_outcome_violations(side: str, on_stub: dict, on_translated: dict) -> list[Violation]:
    """The stub in another language fails each test as the English stub does (not started, where it is)."""
    found = []
    for nodeid, result in sorted(on_stub.items()):
        other = on_translated.get(nodeid)
        if other is None or other["outcome"] != result["outcome"]:
            got = other["outcome"] if other else "did not run"
            found.append(
                Violation(result["kata"], f"{nodeid} on the {side}: {got}, on the English stub: {result['outcome']}")
            )
    return found


def _kata_outcome_violations(
    kata: Kata, on_solution: dict, on_stub: dict, echo, mutants: dict[str, MutantVerdict]
) -> list[Violation]:
    mine = {nodeid: r for nodeid, r in on_solution.items() if r["kata"] == kata.name}
    found = []
    for task in kata.tasks:
        if not any(r["task"] == task.number for r in mine.values()):
            found.append(Violation(kata.name, f"task {task.number} has no test"))
    for nodeid, result in sorted(mine.items()):
        if result["outcome"] != "passed":
            found.append(
                Violation(
                    kata.name,
                    f"{nodeid} does not pass on solutions/{kata.file}: {result['outcome']}: {result['message'][:300]}",
                )
            )
        stub_result = on_stub.get(nodeid)
        if stub_result is None:
            found.append(Violation(kata.name, f"{nodeid} did not run on the stub"))
        elif stub_result["outcome"] == "passed":
            found.append(
                Violation(
                    kata.name,
                    f"{nodeid} passes on the untouched stub katas/{kata.file}: "
                    "it cannot tell a solution from no work at all",
                )
            )
    for label, verdict in sorted(mutants.items()):
        kind, name = label.split("=", 1)
        where = f"{FOLDERS[kind]}/{name}.py"
        if kind == "alternative":
            if verdict.failed:
                found.append(
                    Violation(
                        kata.name,
                        f"{where}, a correct solution, fails a test of task {verdict.task}: "
                        f"{verdict.message[:300]}. Loosen the check, not the statement.",
                    )
                )
        elif verdict.broken:
            found.append(Violation(kata.name, f"{where} is broken, not wrong: {verdict.broken}"))
        elif not verdict.failed:
            found.append(
                Violation(
                    kata.name,
                    f"{where} survives: every test of task {verdict.task} "
                    "passes on it. Strengthen the task's tests until one fails.",
                )
            )
    wrong = [v for v in mutants.values() if v.kind == "mutant"]
    right = [v for v in mutants.values() if v.kind == "alternative"]
    report = f"{len(mine)} tests, {len(kata.tasks)} tasks, {len(wrong)} mutants, {sum(v.killed for v in wrong)} killed"
    if right:
        report += f", {sum(v.accepted for v in right)} of {len(right)} alternatives accepted"
    echo(f"{'ok  ' if not found else 'FAIL'} {kata.name}: {report}")
    return found
