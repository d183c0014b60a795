"""What the learner reads for a failing kata test: one short block, the teaching message once.

pytest and hypothesis each add their own account of a failure: the assertion rewritten and its diff, the
`@given` line with carets, frames inside hypothesis, "Explanation:" lines, every fixture's repr in the
failing example. The teaching message has said all of it already. `short_failure` keeps the message and
the example's own inputs, by name; `--tb=long` or `-vv` shows pytest's full account instead.
Whatever a kata returns or prints, `bounded` keeps a block to a screen's worth and says how much it cut.
"""

from __future__ import annotations

from katakit.i18n import _

# A failure block on the learner's screen: about 40 lines and 4 KB at most, the test's own account first and what
# the kata printed after it.
MAX_LINES, MAX_BYTES = 30, 3000
OUTPUT_LINES, OUTPUT_BYTES = 8, 1000
# Notes of hypothesis' own, not the test's: how it found the example, not what the learner needs.
HYPOTHESIS_NOTES = (
    "Explanation:",
    "(note:",
    "You can reproduce",
    "You can add @seed",
    "Unreliable",
    "Falsifying",
    "Failing",
    "Trying example",
    "Inconsistent",
    "Hypothesis",
)


def wants_full_traceback(config) -> bool:
    return config.getoption("tbstyle", "auto") not in ("auto", "short") or config.getoption("verbose", 0) >= 2


def short_failure(excinfo, fixture_names, where: tuple[str, int]) -> str:
    """The teaching message of a failed check, the test's notes, the example's inputs, the task."""
    lines = [_teaching_message(str(excinfo.value)), *learners_notes(excinfo.value, fixture_names)]
    lines.append(_("(kata {kata}, task {task})", kata=where[0], task=where[1]))
    return bounded("\n".join(lines))


def learners_notes(error: BaseException, fixture_names) -> list[str]:
    """The notes the test made (`note()`), then `Example: name=value, ...` for the example hypothesis found."""
    notes = [str(note) for note in getattr(error, "__notes__", ())]
    # Hypothesis' own notes start with its words, or are indented lines of its explanation.
    kept = [note for note in notes if not note.startswith(HYPOTHESIS_NOTES) and not note[:1].isspace()]
    example = next(
        (_example_inputs(note, fixture_names) for note in notes if note.startswith(("Failing", "Falsifying"))), ""
    )
    return kept + ([_("Example: {example}", example=example)] if example else [])


def _teaching_message(text: str) -> str:
    """The test's own message, without pytest's rewritten `assert ...` and its diff after it."""
    if text.startswith("assert "):  # an assert with no message: pytest's explanation is all there is
        return text
    return text.partition("\nassert ")[0]


def _example_inputs(note: str, fixture_names) -> str:
    """`prompt='00', max_new_tokens=2` from hypothesis' failing example, fixtures left out."""
    arguments: list[str] = []
    for line in note.splitlines()[1:]:
        if line.startswith("    ") and not line.startswith("     ") and "=" in line:
            arguments.append(line.strip())
        elif line.startswith("     ") and arguments:  # a value hypothesis spread over several lines
            arguments[-1] += " " + line.strip()
    shown = []
    for argument in arguments:
        argument = argument.split("  # ", 1)[0].rstrip().rstrip(",")
        name = argument.split("=", 1)[0]
        if name not in fixture_names:
            shown.append(argument)
    return ", ".join(shown)


def bounded(text: str, max_lines: int = MAX_LINES, max_bytes: int = MAX_BYTES) -> str:
    """`text` cut to `max_lines` lines and about `max_bytes` bytes, saying how much was cut."""
    if len(text) <= max_bytes and text.count("\n") < max_lines:
        return text
    kept, size = [], 0
    for line in text.splitlines()[:max_lines]:
        if size + len(line) > max_bytes:
            kept.append(line[: max(0, max_bytes - size)])
            break
        kept.append(line)
        size += len(line) + 1
    shown = "\n".join(kept)
    cut_lines = text.count("\n") + 1 - len(kept)
    characters, lines = format(len(text) - len(shown), ","), format(cut_lines, ",")
    if cut_lines > 1:
        cut = _("[... {characters} more characters cut ({lines} more lines)]", characters=characters, lines=lines)
    elif cut_lines == 1:
        cut = _("[... {characters} more characters cut ({lines} more line)]", characters=characters, lines=lines)
    else:
        cut = _("[... {characters} more characters cut]", characters=characters)
    return shown + "\n" + cut
