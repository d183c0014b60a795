"""The course's gettext catalogues (katakit/locale), kept with Babel, checked by `katas check`: every sentence a
learner may read has a translation in every catalogue, none fuzzy or left over, each with the same named
placeholders as its English; each compiled .mo is as new as its .po. Babel's extractor of the manifest's texts
(kata titles, task titles, hints) is here too, named in babel.cfg."""

from __future__ import annotations

import string
import tomllib
from pathlib import Path

from katakit.i18n import DOMAIN, LANGUAGES

CONFIG = "babel.cfg"


def catalogue_path(root: Path, language: str) -> Path:
    return root / "katakit" / "locale" / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def extract_manifest(fileobj, keywords, comment_tags, options):
    """Babel extraction method for katas/katas.toml: each kata's title, each task's title and hint."""
    text = fileobj.read().decode("utf-8")
    lines = text.splitlines()

    def line_of(value: str) -> int:
        quoted = tomllib_string(value)
        return next((number for number, line in enumerate(lines, start=1) if quoted in line), 0)

    for kata in tomllib.loads(text).get("kata", []):
        yield line_of(kata["title"]), None, kata["title"], []
        for task in kata.get("task", []):
            yield line_of(task["title"]), None, task["title"], []
            yield line_of(task["hint"]), None, task["hint"], []


def tomllib_string(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def messages(root: Path) -> dict[str, list[tuple[str, int]]]:
    """Every message of the course (babel.cfg's sources): its text -> where it is (file, line)."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with open(root / CONFIG, encoding="utf-8") as file:
        method_map, options_map = parse_mapping_cfg(file)
    found: dict[str, list[tuple[str, int]]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(root), method_map, options_map, strip_comment_tags=True
    ):
        if isinstance(message, str) and message:
            found.setdefault(message, []).append((filename, lineno))
    return found


def placeholders(text: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}
    except ValueError:  # unbalanced braces: no placeholder can be told
        return {"<unbalanced braces>"}


def catalogue_problems(root: Path, wanted: dict[str, list[tuple[str, int]]] | None = None) -> list[str]:
    """One line per problem of every catalogue but English's (`wanted`: the course's messages, found by default)."""
    from babel.messages.pofile import read_po

    wanted = messages(root) if wanted is None else wanted
    problems = []
    for language in (code for code in LANGUAGES if code != "en"):
        path = catalogue_path(root, language)
        shown = path.relative_to(root).as_posix()
        if not path.is_file():
            problems.append(f"{shown} is missing: every message needs a translation ({len(wanted)} messages)")
            continue
        with path.open("rb") as file:
            catalogue = read_po(file, locale=language)
        for text, places in sorted(wanted.items()):
            where = f"{places[0][0]}:{places[0][1]}"
            entry = catalogue.get(text)
            if entry is None or not entry.string:
                problems.append(f"{shown}: no {language} translation of {text!r} ({where})")
            elif entry.fuzzy:
                problems.append(f"{shown}: the translation of {text!r} is fuzzy: check it, then drop the fuzzy flag")
            elif placeholders(entry.string) != placeholders(text):
                problems.append(
                    f"{shown}: the translation of {text!r} has placeholders {sorted(placeholders(entry.string))}, "
                    f"the English {sorted(placeholders(text))}"
                )
        left_over = [entry.id for entry in catalogue if entry.id and entry.id not in wanted]
        left_over += [entry.id for entry in catalogue.obsolete.values()]
        problems += [f"{shown}: a translation of a message the course no longer has: {text!r}" for text in left_over]
        compiled = path.with_suffix(".mo")
        if not compiled.is_file() or compiled.stat().st_mtime < path.stat().st_mtime:
            problems.append(
                f"{compiled.relative_to(root).as_posix()} is missing or older than its .po: run `pip install -e .` "
                "(the build compiles the catalogues) or `pybabel compile -d katakit/locale -D katakit`"
            )
    return problems
