"""`katas release OUT`: the student copy of the course, for a GitHub Classroom template repository.

What goes in is an allow-list: README.md and README.ko.md without their instructor parts, pyproject.toml, setup.py,
conftest.py, .gitignore, katas/ (the manifest and the untouched stubs, in the release's language), tests/,
katakit/ (the tools, with the pristine stubs that `katas reset` restores), the Classroom workflow generated from
the manifest (katakit/classroom.py) and notebooks/, a Jupyter notebook of each kata generated from the manifest
and the stubs (katakit/notebooks/write.py).
Nothing else leaves the course: not solutions/, testing/, bench/, .ci/, docs/, mutants/, alternatives/, .git
or any cache.

The release is refused, before anything is written, when a kata of katas/ is not its untouched stub, when a
kata function of the release is its solution's, or when the student README would mention the instructor's tools.
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

from katakit.classroom import WORKFLOW_PATH, workflow_text
from katakit.manifest import MANIFEST_PATH, Course, ManifestError, load_course
from katakit.notebooks.write import write_notebooks
from katakit.stub_prose import stub_in

RELEASED_FILES = ("pyproject.toml", "setup.py", "conftest.py", ".gitignore")
RELEASED_FOLDERS = ("tests", "katakit")
CACHES = ("__pycache__", "*.pyc", "*.mo", ".katas", ".pytest_cache", ".hypothesis", ".ruff_cache", "*.egg-info")
INSTRUCTOR_START, INSTRUCTOR_END = "<!-- instructor -->", "<!-- /instructor -->"
# What the student README must not mention: the student copy has no solutions, and these tools are the instructor's.
INSTRUCTOR_WORDS = ("--solutions", "solutions/", "katas check", "katas release", "katas grade", "katas snapshot")


class ReleaseRefused(Exception):
    """The course cannot be released as it is; the message says why and what to do."""


def release(root: Path, out: Path, course_url: str | None = None, language: str = "en") -> list[str]:
    """Write the student copy of the course at `root` into `out`; return the paths written, relative to `out`.
    `course_url` is the repository the notebooks' set-up cell clones on Colab; `language`, that of the stubs'
    docstrings and comments (katakit/pristine keeps them in English, for `katas lang`)."""
    root, out = Path(root), Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ReleaseRefused(f"{out} exists and is not an empty folder: release into a new folder")
    try:
        course = load_course(root)
    except ManifestError as error:
        raise ReleaseRefused(str(error)) from None
    missing = [name for name in ("README.md",) + RELEASED_FILES + RELEASED_FOLDERS if not (root / name).exists()]
    if missing:
        raise ReleaseRefused(f"the course at {root} has no {', '.join(missing)}")
    refuse_unless_untouched_stubs(course)
    readme = student_readme((root / "README.md").read_text(encoding="utf-8"))
    korean = root / "README.ko.md"
    readme_ko = student_readme(korean.read_text(encoding="utf-8"), korean.name) if korean.is_file() else None
    workflow = workflow_text(course)

    out.mkdir(parents=True, exist_ok=True)
    (out / "README.md").write_text(readme, encoding="utf-8")
    if readme_ko is not None:
        (out / korean.name).write_text(readme_ko, encoding="utf-8")
    for name in RELEASED_FILES:
        shutil.copyfile(root / name, out / name)
    (out / "katas").mkdir()
    shutil.copyfile(root / MANIFEST_PATH, out / MANIFEST_PATH)
    for kata in course.katas:
        (out / "katas" / kata.file).write_text(stub_in(root, kata, language), encoding="utf-8")
    for name in RELEASED_FOLDERS:
        shutil.copytree(root / name, out / name, ignore=shutil.ignore_patterns(*CACHES))
    (out / WORKFLOW_PATH).parent.mkdir(parents=True)
    (out / WORKFLOW_PATH).write_text(workflow, encoding="utf-8")
    write_notebooks(course, out / "notebooks", course_url, language)
    return sorted(path.relative_to(out).as_posix() for path in out.rglob("*") if path.is_file())


def left_out_katas_files(course: Course) -> list[str]:
    """Files of katas/ that are no kata of the manifest (a learner's scratch file): not released."""
    listed = {MANIFEST_PATH.name} | {kata.file for kata in course.katas}
    return sorted(
        f"katas/{path.name}"
        for path in (course.root / "katas").iterdir()
        if path.is_file() and path.name not in listed and path.suffix != ".pyc"
    )


def refuse_unless_untouched_stubs(course: Course) -> None:
    """Refuse unless every kata of katas/ is its untouched stub, and no stub holds a function of its solution."""
    pristine = course.root / "katakit" / "pristine"
    for kata in course.katas:
        stub, copy = course.root / "katas" / kata.file, pristine / kata.file
        if not stub.is_file() or not copy.is_file():
            missing = stub if not stub.is_file() else copy
            raise ReleaseRefused(f"kata {kata.name}: {missing.relative_to(course.root)} is missing")
        if stub.read_bytes() != copy.read_bytes():
            raise ReleaseRefused(
                f"kata {kata.name}: katas/{kata.file} differs from its untouched stub katakit/pristine/{kata.file}, "
                f"so it may hold your solution. Run `katas reset {kata.name}` (or, if you changed the stub on "
                "purpose, `katas snapshot` and `katas check`), then release again."
            )
        solution = course.root / "solutions" / kata.file
        if not solution.is_file():
            raise ReleaseRefused(
                f"kata {kata.name}: solutions/{kata.file} is missing: release from the "
                "instructor's course, whose solutions prove the stubs give nothing away"
            )
        if solved := solved_functions(stub, solution):
            raise ReleaseRefused(
                f"kata {kata.name}: katas/{kata.file} holds the solution of "
                f"{', '.join(solved)}: put the stub back, run `katas snapshot`, then release again"
            )


def function_bodies(path: Path) -> dict[str, str]:
    """Each top-level function's body without its docstring, as normalised source (comments and layout dropped)."""
    bodies = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                body = body[1:]
            bodies[node.name] = "\n".join(ast.unparse(statement) for statement in body)
    return bodies


def solved_functions(stub: Path, solution: Path) -> list[str]:
    """The functions of `stub` whose body is the one they have in `solution`."""
    solved = function_bodies(solution)
    return [name for name, body in function_bodies(stub).items() if solved.get(name) == body]


def student_readme(text: str, name: str = "README.md") -> str:
    """A README (`name`) without the parts between `<!-- instructor -->` and `<!-- /instructor -->` lines."""
    kept, inside = [], False
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        marker = line.strip()
        if marker == INSTRUCTOR_START:
            if inside:
                raise ReleaseRefused(f"{name} line {number}: {INSTRUCTOR_START} inside another instructor part")
            inside = True
        elif marker == INSTRUCTOR_END:
            if not inside:
                raise ReleaseRefused(f"{name} line {number}: {INSTRUCTOR_END} with no {INSTRUCTOR_START} before")
            inside = False
            if kept and not kept[-1].strip():
                kept.pop()  # the blank line before the part: the one after it separates what is left
        elif not inside:
            kept.append(line)
    if inside:
        raise ReleaseRefused(f"{name}: an instructor part is never closed by {INSTRUCTOR_END}")
    student = "".join(kept)
    for number, line in enumerate(student.splitlines(), start=1):
        if found := [word for word in INSTRUCTOR_WORDS if word in line]:
            raise ReleaseRefused(
                f"{name} would tell students about {', '.join(found)} (line {number} of the "
                f"student README: {line.strip()!r}); put that part between {INSTRUCTOR_START} "
                f"and {INSTRUCTOR_END}"
            )
    return student
