"""What the course's pytest start needs before any plugin is imported (called by the top-level conftest.py): the
environment checked, and hypothesis left unrewritten."""

from __future__ import annotations

import sys
import tomllib
from importlib import metadata
from pathlib import Path

from katakit.i18n import _

DISTRIBUTION = "transformers-katas"
ROOT = Path(__file__).resolve().parent.parent  # the course's folder, where it runs from its source
# How to install each requirement where it is missing or of another version: torch's CPU build (see README).
INSTALL = {"torch": "pip install torch --index-url https://download.pytorch.org/whl/cpu"}


def environment_problem(root: Path = ROOT) -> str | None:
    """One line on what this Python lacks to run the course, before any of it is imported, or None: a requirement
    of the course (its pyproject.toml, else the installed course's) missing, or of a version outside its range."""
    requirements = _requirements(root)
    if requirements is None:
        return _(
            "katas: this Python ({python}) does not have the course installed: run pytest with the "
            "Python of the course's environment, or `pip install -e .` in the course's folder",
            python=sys.executable,
        )
    installed = {}
    for requirement in requirements:
        name = _name(requirement)
        try:
            installed[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed[name] = None
    problem = requirement_problem(requirements, installed)
    own = root / ".venv"
    if problem and own.is_dir() and Path(sys.prefix).resolve() != own.resolve():
        problem += _(" (or run pytest in the course's own environment: `. .venv/bin/activate` first)")
    return problem


def _requirements(root: Path) -> list[str] | None:
    try:
        with open(root / "pyproject.toml", "rb") as file:
            return tomllib.load(file)["project"]["dependencies"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        pass
    try:
        return metadata.requires(DISTRIBUTION) or []
    except metadata.PackageNotFoundError:
        return None


def requirement_problem(requirements: list[str], installed: dict[str, str | None]) -> str | None:
    """The first of `requirements` (PEP 508 strings) that `installed` (name -> version, None if missing) breaks."""
    from packaging.requirements import Requirement

    for text in requirements:
        requirement = Requirement(text)
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue  # an extra's requirement (dev tools), not the course's
        version = installed.get(_name(text))
        fix = INSTALL.get(requirement.name) or f"pip install '{requirement}'"
        if version is None:
            return _(
                "katas: {name} is not installed in this Python ({python}): {fix}",
                name=requirement.name,
                python=sys.executable,
                fix=fix,
            )
        if not requirement.specifier.contains(version, prereleases=True):
            return _(
                "katas: {name} {version} is installed; the course needs {requirement}: {fix}",
                name=requirement.name,
                version=version,
                requirement=str(requirement),
                fix=fix,
            )
    return None


def _name(requirement: str) -> str:
    from packaging.requirements import Requirement

    return Requirement(requirement).name.lower()


def pytest_configure(config):
    """Loaded instead of the course's plugins when `environment_problem` has something to say: pytest shows the
    line as a usage error, before any test and without a traceback."""
    import pytest

    raise pytest.UsageError(environment_problem() or "katas: the environment changed while pytest started")


# Libraries whose every module pytest marks for assertion rewriting because their distribution ships a pytest
# plugin, whether that plugin runs or not (hypothesis' is loaded by conftest.py, not through its entry point).
UNREWRITTEN = ("hypothesis",)


def leave_libraries_unrewritten() -> None:
    """A rewritten module's bytecode is cached only where Python may write bytecode: with PYTHONDONTWRITEBYTECODE
    (as container images set it) or a read-only site-packages, pytest would rewrite all of hypothesis again at
    every start, 0.4 s of it here. The library's own asserts are not the course's to explain."""
    for hook in sys.meta_path:
        marked = getattr(hook, "_must_rewrite", None)
        if type(hook).__name__ == "AssertionRewritingHook" and isinstance(marked, set):
            marked.difference_update(UNREWRITTEN)
            getattr(hook, "_marked_for_rewrite_cache", {}).clear()
