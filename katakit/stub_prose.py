"""A stub's prose in another language: its docstrings and `# TODO:` comments from the gettext catalogue, its code,
names and signatures untouched. The English stub is the only hand-kept copy; `translated(stub, "ko")` writes the
Korean one (`katas release OUT --lang ko`, `katas lang ko`). Babel extracts the same prose (`extract`, named in
babel.cfg), so `katas check` finds every sentence of a stub translated.

A docstring's message is its text as `inspect.cleandoc` gives it (indentation taken out, put back when written);
a `# TODO:` comment's message is its lines after the `# TODO: ` and `#       ` markers, joined by new lines.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Callable
from dataclasses import dataclass

TODO, MORE = "# TODO: ", "#       "
QUOTES = '"""'


@dataclass(frozen=True)
class Prose:
    first: int  # its first line, 0-based
    last: int  # its last line, 0-based
    indent: str
    text: str  # the message
    kind: str  # "docstring" or "todo"


def prose(stub: str) -> list[Prose]:
    """The docstrings (module, functions, classes) and `# TODO:` comments of a stub, in order."""
    lines = stub.splitlines()
    found = []
    tree = ast.parse(stub)
    for node in [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef))]:
        body = getattr(node, "body", [])
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            if isinstance(body[0].value.value, str):
                expression = body[0].value
                first, last = expression.lineno - 1, expression.end_lineno - 1
                indent = lines[first][: len(lines[first]) - len(lines[first].lstrip())]
                # The source between the quotes, not the string's value: its escapes (`\\n`) as written.
                source = ast.get_source_segment(stub, expression)
                if not source.startswith(QUOTES) or not source.endswith(QUOTES):
                    continue  # a prefixed or single-quoted docstring: left as it is
                text = inspect.cleandoc(source[len(QUOTES) : -len(QUOTES)])
                found.append(Prose(first, last, indent, text, "docstring"))
    number = 0
    while number < len(lines):
        line = lines[number]
        if line.lstrip().startswith(TODO):
            indent = line[: len(line) - len(line.lstrip())]
            texts, last = [line.lstrip()[len(TODO) :]], number
            while last + 1 < len(lines) and lines[last + 1].startswith(indent + MORE):
                last += 1
                texts.append(lines[last][len(indent + MORE) :])
            found.append(Prose(number, last, indent, "\n".join(texts), "todo"))
            number = last
        number += 1
    return sorted(found, key=lambda piece: piece.first)


def written(piece: Prose, text: str) -> list[str]:
    """The source lines of a piece of prose whose message is `text`."""
    parts = text.split("\n")
    if piece.kind == "todo":
        return [piece.indent + TODO + parts[0], *(piece.indent + MORE + part for part in parts[1:])]
    if len(parts) == 1:
        return [f'{piece.indent}"""{parts[0]}"""']
    body = [f"{piece.indent}{part}" if part else "" for part in parts[1:]]
    return [f'{piece.indent}"""{parts[0]}', *body, f'{piece.indent}"""']


def translated(stub: str, translate: Callable[[str], str]) -> str:
    """The stub with each piece of prose replaced by `translate(its message)`; its code as it is."""
    lines = stub.splitlines()
    for piece in reversed(prose(stub)):
        lines[piece.first : piece.last + 1] = written(piece, translate(piece.text))
    return "\n".join(lines) + ("\n" if stub.endswith("\n") else "")


def extract(fileobj, keywords, comment_tags, options):
    """Babel extraction method for the stubs (babel.cfg): each docstring and `# TODO:` comment."""
    for piece in prose(fileobj.read().decode("utf-8")):
        yield piece.first + 1, None, piece.text, []


def stub_in(root, kata, language: str) -> str:
    """The untouched stub of `kata` in `language` (katakit/pristine holds it in English)."""
    from katakit.i18n import translator
    from katakit.pristine import pristine_folder

    english = (pristine_folder(root) / kata.file).read_text(encoding="utf-8")
    return translated(english, translator(language)) if language != "en" else english


def untouched_in_any_language(root, kata, text: str) -> bool:
    from katakit.i18n import LANGUAGES

    return any(text == stub_in(root, kata, language) for language in LANGUAGES)
