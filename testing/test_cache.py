"""The zoo's cross-run cache builds an entry once, rebuilds a corrupt one, and survives two builders at once.

Every test points `KATAS_CACHE_DIR` at its own tmp folder: the learner's real cache is never touched.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fake_builders import LOG_ENV, build_notes, builds

from katakit.zoo.cache import MANIFEST, cache_root, cached_build, entry_key, is_intact

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    """An empty cache root; the builds log lies beside it, outside the cache."""
    root = tmp_path / "cache"
    monkeypatch.setenv("KATAS_CACHE_DIR", str(root))
    monkeypatch.setenv(LOG_ENV, str(tmp_path / "builds.log"))
    return root


@pytest.fixture
def log(cache) -> Path:
    return cache.parent / "builds.log"


def folders_in(root: Path) -> list[Path]:
    return sorted(path for path in root.iterdir() if path.is_dir())


def test_the_cache_root_is_the_katas_cache_dir_variable(cache):
    assert cache_root() == cache


def test_an_entry_is_built_once_then_reused(cache, log):
    folder = cached_build("notes", build_notes, text="once")
    assert folder == cache / f"notes-{entry_key(build_notes, {'text': 'once'})}"
    assert (folder / "note.txt").read_text() == "once"
    assert (folder / "sub" / "data.bin").read_bytes() == b"onceonceonce"
    assert is_intact(folder, entry_key(build_notes, {"text": "once"}))
    assert len(builds(log)) == 1

    assert cached_build("notes", build_notes, text="once") == folder
    assert len(builds(log)) == 1, "the second call built the entry again instead of reusing it"


def test_the_manifest_records_the_key_and_a_hash_of_every_file(cache):
    folder = cached_build("notes", build_notes, text="listed")
    manifest = json.loads((folder / MANIFEST).read_text())
    assert manifest["key"] == entry_key(build_notes, {"text": "listed"})
    assert sorted(manifest["files"]) == ["note.txt", "sub/data.bin"]


def _edit_note(folder: Path) -> None:
    (folder / "note.txt").write_text("tampered")


def _edit_nested_file(folder: Path) -> None:
    (folder / "sub" / "data.bin").write_bytes(b"tampered")


def _delete_note(folder: Path) -> None:
    (folder / "note.txt").unlink()


def _add_a_stray_file(folder: Path) -> None:
    (folder / "stray.txt").write_text("not built by the builder")


def _delete_manifest(folder: Path) -> None:
    (folder / MANIFEST).unlink()


def _garble_manifest(folder: Path) -> None:
    (folder / MANIFEST).write_text("{not json")


def _change_manifest_key(folder: Path) -> None:
    manifest = json.loads((folder / MANIFEST).read_text())
    manifest["key"] = "0" * 16
    (folder / MANIFEST).write_text(json.dumps(manifest))


CORRUPTIONS = [
    _edit_note,
    _edit_nested_file,
    _delete_note,
    _add_a_stray_file,
    _delete_manifest,
    _garble_manifest,
    _change_manifest_key,
]


@pytest.mark.parametrize("corrupt", CORRUPTIONS, ids=[c.__name__.lstrip("_") for c in CORRUPTIONS])
def test_a_corrupt_entry_is_detected_and_rebuilt(cache, log, corrupt):
    key = entry_key(build_notes, {"text": "fragile"})
    folder = cached_build("notes", build_notes, text="fragile")
    corrupt(folder)
    assert not is_intact(folder, key), f"is_intact missed: {corrupt.__name__.lstrip('_')}"

    assert cached_build("notes", build_notes, text="fragile") == folder
    assert len(builds(log)) == 2, "the corrupt entry was returned instead of rebuilt"
    assert is_intact(folder, key)
    assert (folder / "note.txt").read_text() == "fragile"
    assert not (folder / "stray.txt").exists()
    assert folders_in(cache) == [folder], "the broken entry or a staging folder was left behind"


def test_the_key_changes_with_the_params_but_not_with_their_order():
    assert entry_key(build_notes, {"text": "a"}) != entry_key(build_notes, {"text": "b"})
    assert entry_key(build_notes, {"text": "a"}) != entry_key(build_notes, {})
    assert entry_key(build_notes, {"text": "a", "sleep": 0}) == entry_key(build_notes, {"sleep": 0, "text": "a"})


def test_different_params_get_different_entries(cache, log):
    first = cached_build("notes", build_notes, text="first")
    second = cached_build("notes", build_notes, text="second")
    assert first != second
    assert (first / "note.txt").read_text() == "first"
    assert (second / "note.txt").read_text() == "second"
    assert len(builds(log)) == 2


def test_a_failing_builder_leaves_neither_an_entry_nor_a_staging_folder(cache, log):
    with pytest.raises(RuntimeError, match="failed halfway"):
        cached_build("notes", build_notes, text="broken", fail=True)
    assert folders_in(cache) == []
    assert len(builds(log)) == 1


def test_the_staging_folder_of_a_build_killed_midway_is_gone_once_the_entry_is_built(cache, log):
    # What SIGKILL leaves: the half-built folder, no entry. The next build of that entry (under its lock) clears it.
    key = entry_key(build_notes, {"text": "killed"})
    cache.mkdir()
    stale = cache / f".notes-{key}-abc123"
    stale.mkdir()
    (stale / "half.bin").write_bytes(b"partial")
    built = cached_build("notes", build_notes, text="killed")
    assert folders_in(cache) == [built]
    assert not any(path.name.startswith(f".notes-{key}-") for path in cache.iterdir())


# Each child waits until both are ready, then both ask for the same entry, whose builder takes 1 s.
CHILD = """
import os, sys, time
from pathlib import Path
sys.path[:0] = [{root!r}, {here!r}]
from katakit.zoo.cache import cached_build
from fake_builders import build_notes

ready = Path({ready!r})
(ready / str(os.getpid())).touch()
deadline = time.monotonic() + 60
while len(list(ready.iterdir())) < 2 and time.monotonic() < deadline:
    time.sleep(0.005)
print(cached_build("slow", build_notes, text="shared", sleep=1.0))
"""


def test_two_processes_building_the_same_entry_at_once_share_one_build(cache, log, tmp_path):
    ready = tmp_path / "ready"
    ready.mkdir()
    code = CHILD.format(root=str(ROOT), here=str(HERE), ready=str(ready))
    children = [
        subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    try:
        outputs = [child.communicate(timeout=120) for child in children]
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
    for child, (_, err) in zip(children, outputs, strict=True):
        assert child.returncode == 0, err

    folders = {Path(out.strip()) for out, _ in outputs}
    assert len(folders) == 1, f"the two processes returned different folders: {folders}"
    folder = folders.pop()
    assert is_intact(folder, entry_key(build_notes, {"text": "shared", "sleep": 1.0}))
    assert (folder / "note.txt").read_text() == "shared"
    assert len(builds(log)) == 1, f"the builder ran more than once: {builds(log)}"
    assert folders_in(cache) == [folder], "a staging folder was left behind"
