"""A build-once, cross-run cache of model directories, safe under concurrent builders.

An entry is `<root>/<name>-<key>/`, where the key hashes the library versions, the builder's
source and its arguments: a new transformers or an edited builder gets a fresh entry.
Entries are built in a temporary folder and renamed into place, so no reader sees half a
model; a lock keeps two processes from building the same entry twice; each entry carries a
manifest of file hashes, and an entry that does not match it is rebuilt, not trusted.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import inspect
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from katakit.atomic import locked, write_atomically

MANIFEST = "katas-zoo.json"
LIBRARIES = ("torch", "transformers", "tokenizers")


def cache_root() -> Path:
    """`$KATAS_CACHE_DIR`, else `$XDG_CACHE_HOME/transformers-katas`, else `~/.cache/transformers-katas`."""
    if explicit := os.environ.get("KATAS_CACHE_DIR"):
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "transformers-katas"


def entry_key(builder: Callable, params: dict) -> str:
    digest = hashlib.sha256()
    digest.update(_library_versions())
    # The builder's whole module: helpers it calls change the model as much as its own body.
    digest.update(inspect.getsource(inspect.getmodule(builder)).encode())
    digest.update(_builder_dependency_bytes())
    digest.update(json.dumps(params, sort_keys=True).encode())
    return digest.hexdigest()[:16]


# What every entry's key holds, read once per process: the checks before the tests (`cache_problem`) and the
# fixtures each compute the keys of the whole zoo.
@functools.cache
def _library_versions() -> bytes:
    return "".join(f"{library}={metadata.version(library)};" for library in LIBRARIES).encode()


@functools.cache
def _builder_dependency_bytes() -> bytes:
    return b"".join(dependency.read_bytes() for dependency in _builder_dependencies())


def _builder_dependencies() -> list[Path]:
    # Shared builder helpers and the corpus: a change to any of them changes every model. This file's own code
    # (where entries go, what is checked) changes no model.
    here = Path(__file__).parent
    return sorted(p for p in here.glob("*.py") if p.name not in ("__init__.py", "cache.py"))


def _file_hashes(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != MANIFEST
    }


def is_intact(folder: Path, key: str) -> bool:
    try:
        recorded = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError):
        return False
    return recorded.get("key") == key and recorded.get("files") == _file_hashes(folder)


def cached_build(name: str, builder: Callable[..., None], **params) -> Path:
    """Return the cached directory `builder(folder, **params)` fills, building it if needed."""
    key = entry_key(builder, params)
    root = cache_root()
    final = root / f"{name}-{key}"
    if is_intact(final, key):
        return final
    root.mkdir(parents=True, exist_ok=True)
    with locked(root / f".{name}-{key}.lock"):
        if is_intact(final, key):  # another process built it while we waited
            return final
        _discard(final)
        for stale in root.glob(f".{name}-{key}-*"):  # the staging folder of a build killed before it could clean up
            shutil.rmtree(stale, ignore_errors=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{name}-{key}-", dir=root))
        try:
            builder(staging, **params)
            manifest = {"key": key, "name": name, "params": params, "files": _file_hashes(staging)}
            (staging / MANIFEST).write_text(json.dumps(manifest, indent=1))
            staging.chmod(0o755)  # mkdtemp makes it private; a cache may be shared
            os.replace(staging, final)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return final


def _discard(folder: Path) -> None:
    """Move a broken entry aside before deleting it, so readers never see it half-deleted."""
    if not folder.exists():
        return
    trash = Path(tempfile.mkdtemp(prefix=f".trash-{folder.name}-", dir=folder.parent))
    os.replace(folder, trash / folder.name)
    shutil.rmtree(trash, ignore_errors=True)


# Whether `searched` keeps what it found: not in a grading run's processes, nor in the warm parent they are
# forked from (katakit.grading.guard.POLICY_ENV is set for both), which write nothing outside their scratch
# folder; there the warm parent's references hold what was found.
KEEP_SEARCHES = "KATAS_GRADE_POLICY" not in os.environ


def searched(folder: Path, name: str, search: Callable[[], object], sources: list[Path]) -> object:
    """`search()`, a JSON value found by searching the model in cache entry `folder` (a prompt on which it shows
    something), kept beside the entry: the search is deterministic for the entry and the `sources` of the search
    code, and takes a second where reading its result takes a millisecond. A cache that cannot be written only
    means searching again next time."""
    digest = hashlib.sha256()
    for source in sources:
        digest.update(source.read_bytes())
    path = folder.parent / ".searches" / f"{folder.name}-{name}-{digest.hexdigest()[:16]}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))["value"]
    except (OSError, ValueError, KeyError):
        pass
    value = search()
    if KEEP_SEARCHES:
        with contextlib.suppress(OSError):
            write_atomically(path, json.dumps({"value": value}))
    return value


# One seed's zoo, with room to build an entry beside it (the entries take about 3 MB).
ZOO_MB = 8


def cache_problem(entries: list[tuple[str, Callable, dict]], needed_mb: int = ZOO_MB) -> str | None:
    """One line on why the zoo cannot be built in the cache folder, or None. Checked before any test: each would
    otherwise fail at set-up with the same error. Entries (name, builder, params) already in place need nothing."""
    root = cache_root()
    if all((root / f"{name}-{entry_key(builder, params)}" / MANIFEST).is_file() for name, builder, params in entries):
        return None
    where = (
        f"KATAS_CACHE_DIR={root}"
        if os.environ.get("KATAS_CACHE_DIR")
        else f"the model cache {root} (set KATAS_CACHE_DIR to choose another)"
    )
    fix = f"the course builds its models there and needs about {needed_mb} MB free in a folder it can write"
    if root.exists() and not root.is_dir():
        return f"katas: {where} is a file, not a folder: {fix}"
    try:
        root.mkdir(parents=True, exist_ok=True)
        handle, probe = tempfile.mkstemp(dir=root, prefix=".katas-probe-")
        os.close(handle)
        os.unlink(probe)
    except OSError as error:
        return f"katas: {where} cannot be written ({error.strerror or error}): {fix}"
    free_mb = shutil.disk_usage(root).free // 2**20
    if free_mb < needed_mb:
        return f"katas: {where} has {free_mb} MB free: {fix}"
    return None
