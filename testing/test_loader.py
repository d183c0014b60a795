"""A missing, broken or incomplete kata file gives a one-line message naming the file, the line, the function."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from katakit.loader import KataModule, KataProblem

SHOWN_AS = "katas/07_example.py"


def kata_with(tmp_path: Path, source: str | None) -> KataModule:
    """A KataModule for a kata file holding `source` (no file at all when None)."""
    path = tmp_path / "07_example.py"
    if source is not None:
        path.write_text(textwrap.dedent(source).lstrip("\n"))
    return KataModule(path, shown_as=SHOWN_AS)


def problem_of(kata: KataModule, name: str = "greet") -> str:
    with pytest.raises(KataProblem) as caught:
        getattr(kata, name)
    return str(caught.value)


def test_a_missing_file_is_named_as_missing(tmp_path):
    message = problem_of(kata_with(tmp_path, None))
    assert message.startswith(f"{SHOWN_AS} does not exist")


def test_a_syntax_error_names_the_file_and_its_line(tmp_path):
    kata = kata_with(
        tmp_path,
        """
        def greet():
            return "hi"

        def broken(:
            pass
    """,
    )
    message = problem_of(kata)
    assert message.startswith(f"{SHOWN_AS} line 4:"), message
    assert "Fix the syntax" in message


def test_an_exception_at_import_names_the_line_the_type_and_the_message(tmp_path):
    kata = kata_with(
        tmp_path,
        """
        def greet():
            return "hi"
        raise ValueError("the kata broke at import")
    """,
    )
    message = problem_of(kata)
    assert message == f"{SHOWN_AS} fails when imported (line 3): ValueError: the kata broke at import"


def test_an_exception_inside_a_library_call_names_the_kata_line_that_made_the_call(tmp_path):
    kata = kata_with(
        tmp_path,
        """
        import json

        CONFIG = json.loads("{not json")
    """,
    )
    message = problem_of(kata)
    assert message.startswith(f"{SHOWN_AS} fails when imported (line 3): JSONDecodeError:"), message


def test_an_exception_in_a_kata_function_called_at_import_names_the_line_that_raised(tmp_path):
    kata = kata_with(
        tmp_path,
        """
        def setup():
            return {}["missing key"]

        TABLE = setup()
    """,
    )
    message = problem_of(kata)
    assert message == f"{SHOWN_AS} fails when imported (line 2): KeyError: 'missing key'"


@pytest.mark.parametrize("call", ["sys.exit()", "sys.exit(3)", "sys.exit('bye')"])
def test_sys_exit_at_import_is_reported_instead_of_ending_the_run(tmp_path, call):
    kata = kata_with(
        tmp_path,
        f"""
        import sys
        {call}
    """,
    )
    message = problem_of(kata)
    assert message.startswith(f"{SHOWN_AS} fails when imported (line 2): SystemExit"), message


def test_a_missing_function_names_the_file_and_the_function(tmp_path):
    kata = kata_with(
        tmp_path,
        """
        def greet():
            return "hi"
    """,
    )
    assert kata.greet() == "hi"
    message = problem_of(kata, "farewell")
    assert message.startswith(f"{SHOWN_AS} has no function `farewell`"), message


def test_a_kata_file_is_imported_once_however_many_functions_are_asked_for(tmp_path):
    counter = tmp_path / "imports.log"
    kata = kata_with(
        tmp_path,
        f"""
        with open({str(counter)!r}, "a") as log:
            log.write("imported\\n")

        def greet():
            return "hi"

        def farewell():
            return "bye"
    """,
    )
    assert (kata.greet(), kata.farewell(), kata.greet()) == ("hi", "bye", "hi")
    assert counter.read_text() == "imported\n"


def test_a_kata_problem_is_an_attribute_error():
    assert issubclass(KataProblem, AttributeError)


@pytest.mark.parametrize(
    "source",
    [None, "def greet():\n    return 'hi'\n", "raise ValueError('at import')\n", "def broken(:\n"],
    ids=["missing file", "missing function", "import error", "syntax error"],
)
def test_getattr_with_a_default_gets_the_default(tmp_path, source):
    kata = kata_with(tmp_path, source)
    default = object()
    assert getattr(kata, "x", default) is default
    assert not hasattr(kata, "x")


def test_private_names_do_not_import_the_kata(tmp_path):
    # pytest and hypothesis probe objects for dunder names; that must not run the learner's file.
    counter = tmp_path / "imports.log"
    kata = kata_with(tmp_path, f"open({str(counter)!r}, 'a').write('imported')\n")
    assert getattr(kata, "__wrapped__", None) is None
    assert not counter.exists()


def test_a_kata_may_define_dataclasses_as_an_imported_module_can(tmp_path):
    # A file name of its own: no earlier test may have left its module in sys.modules.
    path = tmp_path / "08_dataclass.py"
    path.write_text(
        textwrap.dedent("""
        from __future__ import annotations
        from dataclasses import dataclass

        @dataclass
        class Pair:
            left: int
            right: int

        def greet():
            return Pair(1, 2)
    """)
    )
    assert KataModule(path, shown_as="katas/08_dataclass.py").greet().right == 2


def test_a_syntax_error_from_code_the_kata_runs_is_not_blamed_on_the_kata_line(tmp_path):
    kata = kata_with(
        tmp_path,
        """
        def greet():
            return "hi"
        X = eval("1 +")
    """,
    )
    message = problem_of(kata)
    assert message.startswith(f"{SHOWN_AS} fails when imported (line 3): SyntaxError"), message
