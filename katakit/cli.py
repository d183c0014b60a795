"""The `katas` command."""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

from katakit.manifest import MANIFEST_PATH, ManifestError, load_course


def find_root(start: Path) -> Path:
    for folder in (start, *start.parents):
        if (folder / MANIFEST_PATH).is_file():
            return folder
    raise SystemExit(f"katas: no {MANIFEST_PATH} here or in any parent folder; run this inside the course.")


def command_check(args) -> int:
    from katakit.check import check_course

    violations = check_course(args.root, args.kata or None)
    for violation in violations:
        print(violation)
    print(f"katas check: {len(violations)} problem(s)" if violations else "katas check: the course is sound")
    return 1 if violations else 0


def command_hint(args) -> int:
    try:
        course = load_course(args.root)
    except ManifestError as error:
        raise SystemExit(f"katas: {error}") from None
    kata = course.kata_named(args.name)
    if kata is None:
        raise SystemExit(f"katas: no kata named {args.name!r}; the katas are: "
                         + ", ".join(k.name for k in course.katas))
    tasks = [kata.task(args.task)] if args.task else list(kata.tasks)
    if None in tasks:
        raise SystemExit(f"katas: kata {kata.name} has tasks 1 to {len(kata.tasks)}")
    for task in tasks:
        print(f"{kata.name}, task {task.number}: {task.title}")
        print(textwrap.fill(task.hint, 80, initial_indent="  ", subsequent_indent="  "))
    for link in kata.docs:
        print(f"Docs: {link}")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="katas", description="transformers-katas: the course's own tools")
    parser.add_argument("--root", type=Path, default=None, help="the course folder (default: found from here)")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="prove the course sound: solutions pass, stubs fail, files agree")
    check.add_argument("kata", nargs="*", help="check only these katas (default: all)")
    check.set_defaults(run=command_check)
    hint = commands.add_parser("hint", help="show the hint of a kata's tasks")
    hint.add_argument("name")
    hint.add_argument("task", nargs="?", type=int)
    hint.set_defaults(run=command_hint)
    args = parser.parse_args(argv)
    args.root = (args.root or find_root(Path.cwd())).resolve()
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
