"""The plugin, run as the learner runs it: *not started* instead of tracebacks, the summary, the options, the report.

Each pytest run costs seconds, so the four runs start together, once for the module, and the tests read them.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
import sys
from functools import cached_property
from pathlib import Path

import pytest
from course_runs import learner_env

ROOT = Path(__file__).resolve().parents[1]
KATA_TESTS = "tests/test_01_pipeline.py"
# Its tests on the GPT-2 model only: all the plugin's tests need, in half the time of both models.
ON_GPT2, ON_BOTH = "gpt2", "gpt2 or llama"
FUNCTIONS = {"build_generator": 1, "continue_text": 2, "complete_text": 3}  # kata 1's functions and their tasks


@functools.cache
def kata_tests(selected: str = ON_GPT2) -> dict[str, tuple[int, str]]:
    """The tests of KATA_TESTS that `-k selected` picks: each with its task and the kata function it calls."""
    collected = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "--collect-only",
            "-q",
            "--solutions",
            "-k",
            selected,
            KATA_TESTS,
        ],
        cwd=ROOT,
        env=learner_env(),
        capture_output=True,
        text=True,
    )
    names = [line.partition("::")[2] for line in collected.stdout.splitlines() if "::" in line]
    assert names, collected.stdout + collected.stderr
    return {name: next((task, function) for function, task in FUNCTIONS.items() if function in name) for name in names}


class PytestRun:
    """`python -m pytest -p no:cacheprovider ARGS` in the repository, started now and read on demand."""

    def __init__(self, *args: str):
        # One torch thread each: the runs share the machine's cores, and spinning thread pools would starve them.
        env = learner_env(OMP_NUM_THREADS="1")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    @cached_property
    def output(self) -> str:
        return self.process.communicate(timeout=300)[0]

    @property
    def returncode(self) -> int:
        self.output  # noqa: B018  (waits for the run)
        return self.process.returncode

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.communicate()


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("plugin")
    renamed = tmp / "katas"
    shutil.copytree(ROOT / "katas", renamed, ignore=shutil.ignore_patterns("__pycache__"))
    kata_file = renamed / "01_pipeline.py"
    source = kata_file.read_text()
    assert source.count("def build_generator(") == 1, "katas/01_pipeline.py changed: update this test"
    kata_file.write_text(source.replace("def build_generator(", "def make_generator("))

    started = {
        "stubs": PytestRun("-k", ON_GPT2, KATA_TESTS, "--katas-report", str(tmp / "stubs.json")),
        # Every test of the kata: a run that leaves some out shows it as partly run, never solved.
        "solutions": PytestRun("--solutions", "-k", ON_BOTH, "--katas-report", str(tmp / "solutions.json"), KATA_TESTS),
        "renamed": PytestRun("--katas-dir", str(renamed), "-k", f"{ON_GPT2} and build_generator", KATA_TESTS),
        "missing dir": PytestRun("--katas-dir", str(tmp / "no-such-folder"), KATA_TESTS),
    }
    yield {"tmp": tmp, "renamed katas": renamed, **started}
    for run in started.values():
        run.stop()


def test_untouched_stubs_fail_as_not_started_without_a_traceback(runs):
    run = runs["stubs"]
    assert run.returncode == 1, run.output
    count = len(kata_tests())
    assert "n" * count in run.output and f"{count} not started" in run.output, run.output
    assert "Traceback" not in run.output, run.output
    assert "NotImplementedError\n" not in run.output, run.output
    assert "raise NotImplementedError" not in run.output, run.output
    assert not re.search(r"^E\s", run.output, re.MULTILINE), "an assertion-error wall was printed:\n" + run.output


def test_the_run_ends_with_the_progress_summary_naming_the_next_kata_and_a_hint(runs):
    lines = runs["stubs"].output.rstrip().splitlines()
    header = max(index for index, line in enumerate(lines) if "transformers-katas: your progress" in line)
    summary, last = lines[header + 1 : -1], lines[-1]
    assert re.fullmatch(rf"=+ (\d+ deselected, )?{len(kata_tests())} not started in .* =+", last), last
    assert not any(line.startswith("=") for line in summary), "another section came after the summary"
    assert re.match(r" 1\. pipeline +not started +0/3 tasks", summary[0]), summary
    assert any(line.startswith("Next: katas/01_pipeline.py, task 1:") for line in summary), summary
    assert any(line.lstrip().startswith("Hint:") for line in summary), summary


def test_solutions_pass_and_the_kata_shows_as_solved(runs):
    run = runs["solutions"]
    assert run.returncode == 0, run.output
    assert "katas: testing solutions/" in run.output
    assert re.search(r" 1\. pipeline +solved +3/3 tasks", run.output), run.output
    assert f"{len(kata_tests(ON_BOTH))} passed" in run.output


def test_a_renamed_kata_function_fails_naming_the_file_and_the_function_without_a_traceback(runs):
    run = runs["renamed"]
    kata_file = str(runs["renamed katas"] / "01_pipeline.py")
    assert run.returncode == 1, run.output
    lines = run.output.splitlines()
    message = f"{kata_file} has no function `build_generator`"
    failures = [index for index, line in enumerate(lines) if re.fullmatch(r"_+ test_build_generator\S+ _+", line)]
    assert len(failures) == sum(function == "build_generator" for _, function in kata_tests().values()), run.output
    # Each failure is the message alone, then the next section: no pytest traceback (source and `E   ` lines).
    for index in failures:
        assert lines[index + 1].startswith(message), run.output
        assert lines[index + 2].startswith(("_", "=")), run.output
    assert "Traceback" not in run.output and "loader.py" not in run.output, run.output
    assert not re.search(r"^E\s", run.output, re.MULTILINE), run.output
    assert f"{len(failures)} failed" in run.output and "deselected" in run.output, run.output


@pytest.mark.parametrize(
    "run, folder, outcome, exitstatus", [("stubs", "katas", "not started", 1), ("solutions", "solutions", "passed", 0)]
)
def test_the_report_gives_the_kata_task_and_outcome_of_every_test(runs, run, folder, outcome, exitstatus):
    assert runs[run].returncode == exitstatus, runs[run].output
    report = json.loads((runs["tmp"] / f"{run}.json").read_text())
    assert report["exitstatus"] == exitstatus
    assert Path(report["target"]) == ROOT / folder
    got = {
        result["nodeid"].partition("::")[2]: (result["kata"], result["task"], result["outcome"])
        for result in report["results"]
    }
    tests = kata_tests(ON_GPT2 if run == "stubs" else ON_BOTH)
    assert got == {test: ("pipeline", task, outcome) for test, (task, _) in tests.items()}
    assert all(result["nodeid"].startswith(KATA_TESTS + "::") for result in report["results"])
    for result in report["results"]:
        task, function = tests[result["nodeid"].partition("::")[2]]
        expected = (
            f"not started: `{function}` in katas/ still raises NotImplementedError (kata pipeline, task {task})"
            if outcome == "not started"
            else ""
        )
        assert result["message"] == expected


def test_katas_dir_to_a_missing_folder_is_a_usage_error(runs):
    run = runs["missing dir"]
    assert run.returncode == pytest.ExitCode.USAGE_ERROR == 4, run.output
    assert "no-such-folder: no such folder" in run.output, run.output


def test_the_summary_fits_an_80_column_terminal(runs):
    output = runs["stubs"].output
    summary = output[output.index("your progress") :].splitlines()
    too_wide = [line for line in summary if len(line) > 80 and "https://" not in line]  # a link stays whole
    assert not too_wide, too_wide


def test_katas_hint_shows_a_tasks_hint_from_the_manifest():
    from katakit.manifest import load_course

    task = load_course(ROOT).kata_named("pipeline").task(2)
    result = subprocess.run(
        [sys.executable, "-m", "katakit.cli", "hint", "pipeline", "2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert f"pipeline, task 2: {task.title}" in result.stdout
    assert " ".join(result.stdout.split()).find(" ".join(task.hint.split())) >= 0, result.stdout


def test_tests_run_in_kata_order_each_file_in_one_piece():
    # Session fixtures with parameters (the encoder sizes, the two causal LMs) make pytest group their
    # tests across files; the learner would see a kata's results in two places, out of order.
    collected = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--collect-only", "-q", "--solutions", "tests"],
        cwd=ROOT,
        env=learner_env(),
        capture_output=True,
        text=True,
    )
    files = [line.split("::")[0] for line in collected.stdout.splitlines() if "::" in line]
    in_pieces = [file for index, file in enumerate(files) if index == 0 or files[index - 1] != file]
    assert in_pieces == sorted(set(files)), in_pieces


def test_pytest_leaves_the_hypothesis_package_unrewritten():
    """Rewritten, every hypothesis module would be parsed and compiled again at each start where bytecode is not
    cached (katakit/startup.py): 0.4 s of every fresh pytest."""
    import hypothesis.core
    from _pytest.assertion.rewrite import AssertionRewritingHook

    assert not isinstance(hypothesis.core.__loader__, AssertionRewritingHook)


def _progress_block(output: str) -> str:
    return output[output.index("transformers-katas: your progress") : output.rindex("\n=")]


def test_pytest_xdist_shows_the_progress_a_serial_run_shows_and_remembers_the_same(tmp_path):
    """`pytest -n 2`: the workers run the tests, the controller shows the summary (katakit.xdist_support); a run that
    selects some tests shows its katas as run in part."""
    pytest.importorskip("xdist")
    folder = tmp_path / "katas"
    shutil.copytree(ROOT / "katas", folder)
    shutil.copy(ROOT / "solutions" / "04_tokenizers.py", folder / "04_tokenizers.py")
    files = ["tests/test_04_tokenizers.py", "tests/test_08_sequence_classification.py"]
    blocks, stores = [], []
    for parallel in ([], ["-n", "2"]):
        store = tmp_path / f"progress{len(stores)}.json"
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-p",
                "no:cacheprovider",
                *parallel,
                f"--katas-dir={folder}",
                f"--katas-progress={store}",
                *files,
            ],
            cwd=ROOT,
            env=learner_env(),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert "your progress" in run.stdout, run.stdout + run.stderr
        blocks.append(_progress_block(run.stdout))
        stores.append(
            {
                name: [(r["nodeid"], r["outcome"]) for r in sorted(entry["results"], key=lambda r: r["nodeid"])]
                for name, entry in json.loads(store.read_text())["katas"].items()
            }
        )
    assert blocks[1] == blocks[0]
    assert "4. tokenizers              solved" in blocks[0] and "not started" in blocks[0]
    assert stores[1] == stores[0] and set(stores[0]) == {"tokenizers", "sequence_classification"}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-n",
            "2",
            "-k",
            "encode",
            f"--katas-dir={folder}",
            f"--katas-progress={tmp_path / 'partial.json'}",
            files[0],
        ],
        cwd=ROOT,
        env=learner_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "partly run" in run.stdout and "solved   " not in _progress_block(run.stdout), run.stdout
