"""The learner's language: every sentence the course shows a learner goes through `_`, in English (the message ids)
or in a language of katakit/locale (gettext catalogues managed with Babel, see the README's course authors' part).

    from katakit.i18n import _
    _("Katas: {solved} solved.", solved=3)   # translated, then its named placeholders filled in

The language: `KATAS_LANG` (`ko`, `en`), else the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`: `ko_KR.UTF-8` is
Korean), else English; `pytest --katas-lang=ko` sets `KATAS_LANG` for its run. Read at each call, so that a run's
processes (the warm runner's children, split workers) follow the run's setting.
"""

from __future__ import annotations

import functools
import gettext
import os
import textwrap
import unicodedata
from pathlib import Path

DOMAIN = "katakit"
LOCALE = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("en", "ko")


def N_(message: str) -> str:
    """Marks a message for the catalogue where it is defined; `_` translates it where it is shown."""
    return message


LANGUAGE_NAMES = {"en": N_("English (en)"), "ko": N_("Korean (ko)")}
VARIABLE = "KATAS_LANG"


def language() -> str:
    chosen = os.environ.get(VARIABLE, "").strip().lower()
    if chosen:
        return _known(chosen)
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if value := os.environ.get(variable, "").strip():
            return _known(value.lower())
    return "en"


def _known(value: str) -> str:
    """`ko`, `ko_KR.UTF-8`, `ko-KR` -> "ko"; a language without a catalogue -> English."""
    code = value.replace("-", "_").split("_")[0].split(".")[0]
    return code if code in LANGUAGES else "en"


@functools.cache
def catalogue(code: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, LOCALE, languages=[code], fallback=True)


def _(message: str, **values) -> str:
    """`message` in the learner's language, its `{placeholders}` filled in from `values`."""
    text = catalogue(language()).gettext(message) if language() != "en" else message
    return text.format(**values) if values else text


def columns(text: str) -> int:
    """How many terminal columns `text` takes: a Hangul or other wide character takes two."""
    return sum(2 if unicodedata.east_asian_width(character) in "WF" else 1 for character in text)


def padded(text: str, width: int) -> str:
    return text + " " * max(width - columns(text), 0)


def shortened(text: str, width: int, placeholder: str = " [...]") -> str:
    """`text` cut at a word so that it fits `width` columns, as textwrap.shorten does with characters."""
    if columns(text) == len(text):  # no wide character: textwrap's own
        return textwrap.shorten(text, width, placeholder=placeholder)
    if columns(text) <= width:
        return text
    lines = wrapped(text, width - columns(placeholder))
    return (lines[0] if lines else "") + placeholder


def wrapped(text: str, width: int, indent: str = "", first: str = "") -> list[str]:
    """`text` in lines of at most `width` columns, broken between words, as textwrap.wrap does: the first line
    starts with `first`, the others with `indent`. textwrap counts characters, and Hangul takes two columns each."""
    if columns(text) == len(text):  # no wide character: textwrap's own (it breaks at hyphens too)
        return textwrap.wrap(text, width, initial_indent=first, subsequent_indent=indent)
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}" if line else (indent if lines else first) + word
        if line and columns(candidate) > width:
            lines.append(line)
            line = indent + word
        else:
            line = candidate
    return [*lines, line] if line else lines


def translator(code: str):
    """The gettext of one language, whatever the learner's: for writing a copy of the course in that language."""
    return catalogue(code).gettext if code != "en" else (lambda message: message)
