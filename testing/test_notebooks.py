"""`katas notebooks`: one notebook per kata, generated from the manifest and the untouched stubs; its kata cells
are the stub byte for byte, and a notebook that exists (a learner's work) is never overwritten."""

from __future__ import annotations

import json
import subprocess
import sys
import types
from pathlib import Path

import pytest

from katakit.cli import main as katas
from katakit.manifest import load_course
from katakit.notebooks.cells import cell_source, kata_code, split, tags
from katakit.notebooks.write import notebook_text, write_notebooks
from katakit.release import release

ROOT = Path(__file__).resolve().parents[1]
COURSE = load_course(ROOT)
URL = "https://github.com/example-org/transformers-katas"


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("notebooks") / "notebooks"
    return out, write_notebooks(COURSE, out)


def read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def stub(kata) -> str:
    return (ROOT / "katakit/pristine" / kata.file).read_text(encoding="utf-8")


def setup_source(notebook: dict) -> str:
    return next(cell_source(cell) for cell in notebook["cells"] if "setup" in tags(cell))


def test_one_notebook_per_kata_named_after_its_file(written):
    out, paths = written
    expected = [out / f"{Path(kata.file).stem}.ipynb" for kata in COURSE.katas]
    assert len(COURSE.katas) == 15 and paths == expected
    assert sorted(out.iterdir()) == expected
    assert expected[0].name == "01_pipeline.ipynb"


def test_each_notebook_is_valid_nbformat_4_5(written):
    nbformat = pytest.importorskip("nbformat")
    for path in written[1]:
        text = path.read_text(encoding="utf-8")
        nbformat.validate(nbformat.reads(text, as_version=4))
        notebook = json.loads(text)
        assert (notebook["nbformat"], notebook["nbformat_minor"]) == (4, 5), path.name
        assert notebook["metadata"]["kernelspec"]["name"] == "python3"
        ids = [cell["id"] for cell in notebook["cells"]]
        assert len(set(ids)) == len(ids), f"{path.name}: cell ids used twice: {ids}"


def test_the_kata_cells_joined_are_the_untouched_stub_byte_for_byte(written):
    for kata, path in zip(COURSE.katas, written[1], strict=True):
        code = kata_code(read(path))
        assert code.encode("utf-8") == (ROOT / "katakit/pristine" / kata.file).read_bytes(), path.name


def outline(notebook: dict) -> list[tuple[str, int | None]]:
    """Each cell after the set-up cell as (what it is, its task): a task's title, a kata cell or a check cell."""
    cells = []
    for cell in notebook["cells"][2:]:
        source = cell_source(cell)
        if cell["cell_type"] == "markdown":
            cells.append(("title", int(source.removeprefix("## Task ").split(":")[0])))
        elif tags(cell) == ["kata"]:
            cells.append(("kata", split(source)[0].task))
        else:
            assert tags(cell) == ["check"], cell
            cells.append(("check", int(source.split("tasks=")[1].rstrip(")"))))
    return cells


def test_each_task_has_its_title_its_kata_cells_then_its_check_cell_in_order(written):
    for number, (kata, path) in enumerate(zip(COURSE.katas, written[1], strict=True), start=1):
        notebook = read(path)
        cells = notebook["cells"]
        assert cells[0]["cell_type"] == "markdown"
        assert cell_source(cells[0]).startswith(f"# Kata {number}: {kata.title}\n"), path.name
        assert [tags(cell) for cell in cells if cell["cell_type"] == "code"][0] == ["setup"]
        assert tags(cells[1]) == ["setup"] and tags(cells[2]) == ["kata"]
        assert cell_source(cells[2]) == split(stub(kata))[0].source, f"{path.name}: the head is not the stub's"
        functions = [cell.task for cell in split(stub(kata))[1:]]
        expected = [("kata", None)]
        for task in kata.tasks:
            expected += [("title", task.number)] + [("kata", task.number)] * functions.count(task.number)
            expected += [("check", task.number)]
        assert outline(notebook) == expected, path.name
        titles = [cell_source(cell) for cell in cells[1:] if cell["cell_type"] == "markdown"]
        assert titles == [f"## Task {task.number}: {task.title}" for task in kata.tasks]
        checks = [cell_source(cell) for cell in cells if "check" in tags(cell)]
        assert checks == [f'katakit.check("{kata.name}", tasks={task.number})' for task in kata.tasks]
        for cell in cells:
            if cell["cell_type"] == "code":
                assert cell["execution_count"] is None and cell["outputs"] == [], f"{path.name}: {cell['id']}"


def test_the_intro_shows_the_docstring_its_tasks_the_docs_and_how_to_use_the_notebook(written):
    intros = {path.stem: cell_source(read(path)["cells"][0]) for path in written[1]}
    pipeline = intros["01_pipeline"]
    assert "After this kata you can build a `text-generation` pipeline" in pipeline
    assert "1. `build_generator`: a text-generation pipeline for the model saved in a folder." in pipeline
    assert "3. `complete_text`: the prompt followed by its greedy continuation." in pipeline
    assert "Run the set-up cell" in pipeline and "`# TODO:`" in pipeline and "shows the next hint" in pipeline
    for kata in COURSE.katas:
        intro = intros[Path(kata.file).stem]
        assert "Docs: http" not in intro, "the docstring's Docs: line is shown as links"
        for link in kata.docs:
            assert intro.count(f"]({link})") == 1, f"{kata.name}: {link} is not linked once:\n{intro}"


def test_the_setup_cell_compiles_has_no_magic_and_sets_the_course_url():
    for course_url, literal in ((None, '""'), (URL, f'"{URL}"')):
        source = setup_source(json.loads(notebook_text(COURSE, COURSE.katas[0], course_url)))
        compile(source, "setup cell", "exec")
        assert not [line for line in source.splitlines() if line.lstrip().startswith(("!", "%"))], source
        assert f"COURSE_URL = {literal}  #" in source
        assert len(source.splitlines()) <= 25
        assert "chdir" not in source and source.rstrip().endswith("import katakit  # noqa: E402")


def run_setup(monkeypatch, cwd: Path, course_url: str | None = None, colab: bool = False) -> tuple[dict, list]:
    """Run the set-up cell here, in `cwd`, with commands recorded instead of run; Colab faked by its module."""
    monkeypatch.chdir(cwd)
    monkeypatch.setattr(sys, "path", list(sys.path))
    commands = []
    monkeypatch.setattr(subprocess, "run", lambda command, **options: commands.append(command))
    if colab:
        monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    namespace = {}
    exec(
        compile(setup_source(json.loads(notebook_text(COURSE, COURSE.katas[0], course_url))), "setup", "exec"),
        namespace,
    )
    return namespace, commands


def test_the_setup_cell_finds_the_course_from_its_notebooks_folder(tmp_path, monkeypatch):
    (tmp_path / "katas").mkdir()
    (tmp_path / "katas/katas.toml").write_text("")
    (tmp_path / "notebooks").mkdir()
    namespace, commands = run_setup(monkeypatch, tmp_path / "notebooks", URL, colab=True)
    assert namespace["course_folder"] == tmp_path and sys.path[0] == str(tmp_path)
    assert commands == [], "a course found here is used, not cloned"


def test_the_setup_cell_says_what_to_do_where_it_finds_no_course(tmp_path, monkeypatch):
    with pytest.raises(RuntimeError, match="start Jupyter in the course folder"):
        run_setup(monkeypatch, tmp_path, URL)
    with pytest.raises(RuntimeError, match="on Colab, set COURSE_URL"):
        run_setup(monkeypatch, tmp_path, None, colab=True)


def test_the_setup_cell_clones_and_installs_the_course_on_colab(tmp_path, monkeypatch):
    folder = "/content/transformers-katas"
    if Path(folder).exists():
        pytest.skip(f"{folder} exists here: the cell would use it")
    namespace, commands = run_setup(monkeypatch, tmp_path, URL, colab=True)
    assert commands == [
        ["git", "clone", "--depth", "1", URL, folder],
        [sys.executable, "-m", "pip", "install", "-q", "-e", folder],
    ]
    assert sys.path[0] == folder


def test_writing_twice_gives_identical_bytes(tmp_path):
    first, second = write_notebooks(COURSE, tmp_path / "a", URL), write_notebooks(COURSE, tmp_path / "b", URL)
    assert [path.read_bytes() for path in first] == [path.read_bytes() for path in second]
    assert first[0].read_text(encoding="utf-8").endswith("}\n")


def test_a_helper_without_a_task_stays_where_the_stub_has_it(tmp_path):
    (tmp_path / "katas").mkdir()
    (tmp_path / "katas/katas.toml").write_text(
        '[[kata]]\nname = "demo"\nfile = "01_demo.py"\ntitle = "Demo"\n'
        '[[kata.task]]\nnumber = 1\ntitle = "One"\nhint = "?"\n[[kata.task]]\nnumber = 2\ntitle = "Two"\nhint = "?"\n'
    )
    (tmp_path / "katakit/pristine").mkdir(parents=True)
    text = (
        '"""Kata 1 - demo.\n\nTasks:\n  1. one - the first.\n"""\n\nimport math\n\n\n'
        "class Helper:\n    pass\n\n\n"
        'def one():\n    """1. One."""\n    raise NotImplementedError\n\n\n'
        "# a helper of task 2\ndef helper():\n    return 2\n\n\n"
        'def two():\n    """2. Two."""\n    raise NotImplementedError\n'
    )
    (tmp_path / "katakit/pristine/01_demo.py").write_text(text)
    course = load_course(tmp_path)
    notebook = read(write_notebooks(course, tmp_path / "notebooks")[0])
    assert kata_code(notebook) == text
    assert outline(notebook) == [
        ("kata", None),
        ("kata", None),
        ("title", 1),
        ("kata", 1),
        ("kata", None),
        ("check", 1),
        ("title", 2),
        ("kata", 2),
        ("check", 2),
    ]


def test_katas_notebooks_leaves_an_existing_notebook_as_it_was_and_says_so(tmp_path, capsys):
    out = tmp_path / "notebooks"
    out.mkdir()
    mine = out / "01_pipeline.ipynb"
    mine.write_text("my work")
    assert katas(["--root", str(ROOT), "notebooks", str(out), "--course-url", URL]) == 0
    printed = capsys.readouterr().out
    assert mine.read_text() == "my work"
    assert f"left as it was: {mine}; delete it to get the untouched notebook" in printed, printed
    assert "wrote 14 notebook(s)" in printed and "  02_tokenizer_generate.ipynb" in printed, printed
    assert "01_pipeline.ipynb\n" not in printed.split("wrote", 1)[1], printed
    assert (out / "02_tokenizer_generate.ipynb").read_text() == notebook_text(COURSE, COURSE.katas[1], URL)


def test_the_release_holds_the_notebooks_with_the_course_url(tmp_path, capsys):
    out = tmp_path / "student"
    assert katas(["--root", str(ROOT), "release", str(out), "--course-url", URL]) == 0
    assert "notebooks/ (15 files)" in capsys.readouterr().out
    for kata in COURSE.katas:
        notebook = out / "notebooks" / f"{Path(kata.file).stem}.ipynb"
        assert notebook.read_text(encoding="utf-8") == notebook_text(COURSE, kata, URL), notebook.name
        assert f'COURSE_URL = "{URL}"' in setup_source(read(notebook))
    assert 'COURSE_URL = ""' in setup_source(read(write_notebooks(COURSE, tmp_path / "plain")[0]))
    release(ROOT, tmp_path / "without-url")
    assert (tmp_path / "without-url/notebooks/01_pipeline.ipynb").read_bytes() == (
        tmp_path / "plain/01_pipeline.ipynb"
    ).read_bytes()
