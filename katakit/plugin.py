"""The pytest plugin: the target switch, task markers, *not started* reports and the summary.

Loaded by the top-level `conftest.py`. Options share the `--katas-` prefix, except
`--solutions`, the one every contributor types.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import signal
import threading
import time
from pathlib import Path

import pytest

from katakit import model_folders, quiet
from katakit.atomic import write_atomically
from katakit.failure import OUTPUT_BYTES, OUTPUT_LINES, bounded, learners_notes, short_failure, wants_full_traceback
from katakit.guards import Interrupts, KataEndedTheRun, kata_may_not_end_the_run
from katakit.i18n import LANGUAGES, _
from katakit.i18n import VARIABLE as LANGUAGE_VARIABLE

quiet.silence_environment()  # before anything imports transformers

from katakit.loader import FolderCode, KataCode, KataModule, KataProblem  # noqa: E402
from katakit.manifest import Course, ManifestError, load_course  # noqa: E402
from katakit.mutants import (  # noqa: E402
    Mutant,
    MutantKatas,
    killers_first,
    mutant_of_test_id,
    read_first_kills,
    write_mutant_summary,
)
from katakit.outcomes import NOT_STARTED, TestResult, progress  # noqa: E402
from katakit.pristine import pristine_folder  # noqa: E402
from katakit.profiles import EXAMPLES, WAIT_FACTOR, manage_torch_seed, register_profiles  # noqa: E402
from katakit.progress import default_store, digests, fresh_progress, record  # noqa: E402
from katakit.root_cause import earlier_functions_used, fix_first  # noqa: E402
from katakit.summary import write_summary  # noqa: E402
from katakit.zoo import SEED_VARIABLE, zoo_seed  # noqa: E402

HELP_SOLUTIONS = "run the tests against solutions/ instead of katas/"
HELP_KATAS_DIR = "run the tests against the katas in PATH, a folder laid out like katas/ (write --katas-dir=PATH)"
HELP_LIBRARY_OUTPUT = "show what transformers prints and warns (load reports, progress bars, warnings); off by default"
HELP_LANG = "the language of what the course tells you: en (the default) or ko; sets KATAS_LANG for this run"
HELP_REPORT = "write every kata test's result (kata, task, outcome, message) to PATH as JSON"
HELP_PROGRESS = (
    "remember each kata's result in PATH (default: .katas/progress.json for katas/, nothing for "
    "another target); `katas next`, `list` and `watch` read it"
)
HELP_EVENTS = "append one JSON line per event (collected, start, result, interrupted, finished) to PATH as tests run"
HELP_WORKERS = (
    "share the tests out over N processes forked once they are collected (Linux; at most one per core), "
    "reported as one run reports them"
)
HELP_MUTANTS = (
    "(course authors) run each kata's tests on the wrong solutions in mutants/ and the correct ones "
    "in alternatives/, each test on those of its task; a mutant must fail one, an alternative none"
)

RUN = pytest.StashKey["KataRun"]()
TIMEOUTS_PER_TASK = 2  # tests of one task that ran past their limit before its other tests are not run

register_profiles()
manage_torch_seed()


def pytest_addoption(parser):
    group = parser.getgroup("katas", "transformers-katas")
    group.addoption("--solutions", action="store_true", help=HELP_SOLUTIONS)
    group.addoption("--katas-dir", metavar="PATH", help=HELP_KATAS_DIR)
    group.addoption("--katas-report", metavar="PATH", help=HELP_REPORT)
    group.addoption("--katas-progress", metavar="PATH", help=HELP_PROGRESS)
    group.addoption("--katas-events", metavar="PATH", help=HELP_EVENTS)
    group.addoption("--katas-library-output", action="store_true", help=HELP_LIBRARY_OUTPUT)
    group.addoption("--katas-lang", choices=LANGUAGES, metavar="LANG", help=HELP_LANG)
    group.addoption("--katas-workers", type=int, default=1, metavar="N", help=HELP_WORKERS)
    group.addoption("--katas-mutants", action="store_true", help=HELP_MUTANTS)
    group.addoption(
        "--katas-variants",
        choices=["mutant", "alternative"],
        default=None,
        help="(course authors) with --katas-mutants, only the mutants or only the alternatives",
    )
    group.addoption(
        "--katas-first-kills",
        metavar="PATH",
        help="(course authors) with --katas-mutants, run first the test that killed each mutant "
        "in PATH (written by `katas check`)",
    )


def pytest_configure(config):
    if config.getoption("katas_lang"):  # the environment, so that the run's other processes speak it too
        os.environ[LANGUAGE_VARIABLE] = config.getoption("katas_lang")
    config.addinivalue_line("markers", "task(number): the manifest task of the kata that this test checks")
    if config.getoption("katas_library_output"):
        # Later filters win over pyproject.toml's, which hide the library's warnings.
        config.addinivalue_line("filterwarnings", "default::Warning:transformers.*")
    try:
        course = load_course(config.rootpath)
    except ManifestError as error:
        raise pytest.UsageError(str(error)) from None
    try:
        zoo_seed()
    except ValueError as error:
        raise pytest.UsageError(str(error)) from None
    run = KataRun(config, course, _target(config))
    if config.getoption("katas_mutants"):
        try:
            run.mutants = MutantKatas(course, config.getoption("katas_variants"))
        except ValueError as problems:
            raise pytest.UsageError(str(problems)) from None
    config.stash[RUN] = run
    config.pluginmanager.register(run, "katas-run")
    _split_over_workers(config, run)
    from katakit.xdist_support import XdistController, is_xdist_controller

    if is_xdist_controller(config):
        config.pluginmanager.register(XdistController(run), "katas-xdist")
    if config.getoption("katas_events"):
        from katakit.runner.events import EventStream

        config.pluginmanager.register(EventStream(run, Path(config.getoption("katas_events"))), "katas-events")


def _split_over_workers(config, run: KataRun) -> None:
    """`--katas-workers=N`: the tests shared out over forked processes (katakit.runner.split). Not for the
    mutants' runs (a mutant's tests skip once one killed it, which one process knows) nor for grading."""
    from katakit.runner import fork_is_safe
    from katakit.runner.split import SPLIT_PLUGIN, SplitPlugin, workers_for

    workers = workers_for(config.getoption("katas_workers"))
    if workers > 1 and fork_is_safe() and run.mutants is None and run.guards_exits:
        config.pluginmanager.register(SplitPlugin(workers), SPLIT_PLUGIN)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    # Interpreter shutdown walks every object torch and transformers made (about a second);
    # frozen objects are skipped by that last garbage collection. Nothing is left unflushed.
    gc.freeze()
    run = config.stash.get(RUN, None)
    if run is not None:
        run.interrupts.uninstall()
    if run is not None and run.mutants is not None:
        run.mutants.remove()


def _path_option(config, name: str) -> Path | None:
    value = config.getoption(name)
    return Path(value) if value else None


def _target(config) -> Path:
    if _notebook_code(config) is not None:  # no folder: nothing read from katas/, no progress remembered
        return config.rootpath / "notebook"
    katas_dir, solutions = config.getoption("katas_dir"), config.getoption("solutions")
    if katas_dir and solutions:
        raise pytest.UsageError("use either --solutions or --katas-dir PATH, not both")
    if solutions:
        if not (config.rootpath / "solutions").is_dir():
            raise pytest.UsageError("--solutions: this copy of the course has no solutions/ folder")
        return config.rootpath / "solutions"
    if katas_dir:
        path = Path(katas_dir).resolve()
        if not path.is_dir():
            raise pytest.UsageError(f"--katas-dir {katas_dir}: no such folder")
        return path
    return config.rootpath / "katas"


def _notebook_code(config) -> KataCode | None:
    """A check in a notebook's kernel (katakit.notebooks.kernel) gives the run the kernel's own functions."""
    plugins = config.pluginmanager.get_plugins()
    return next((plugin.code for plugin in plugins if hasattr(plugin, "katas_notebook")), None)


def kata_module_for(config, test_path: Path, mutant: Mutant | None = None) -> KataModule:
    run = config.stash[RUN]
    kata = run.course.kata_for_test_file(test_path)
    if kata is None:
        pytest.fail(f"{test_path.name} is not the test file of any kata in katas/katas.toml", pytrace=False)
    if mutant is not None:
        return KataModule(run.mutants.folders[mutant.label] / kata.file, shown_as=mutant.shown_as)
    return run.code.module(kata)


class KataRun:
    """The state of one pytest run: which test checks which task, and how each ended."""

    def __init__(self, config, course: Course, target: Path):
        self.config = config
        self.course = course
        self.target = target
        # Where the kata code under test lives: the target folder's files, or a notebook kernel's namespace.
        self.code: KataCode = _notebook_code(config) or FolderCode(target, self.target_label)
        self.task_of_test: dict[str, tuple[str, int]] = {}  # nodeid -> (kata name, task number)
        self.collected: dict[str, str] = {}  # nodeid -> kata name, for each kata test collected
        self.items: dict[str, pytest.Item] = {}  # nodeid -> its test, for each kata test
        self.results: dict[str, TestResult] = {}
        self.mutants: MutantKatas | None = None  # with --katas-mutants
        self.killed: set[str] = set()  # with --katas-mutants: the mutants a test failed on so far
        self.timeouts: dict[tuple, int] = {}  # (kata, task, mutant or None) -> its tests that timed out so far
        self.left_out: set[str] = set()  # katas some of whose tests this run does not run
        self.digests: dict = {}  # kata name -> its files' digests as the tests started, for the progress store
        explicit_store = config.getoption("katas_progress")
        self.store = Path(explicit_store).resolve() if explicit_store else default_store(course, target)
        self.store_problem = ""
        self.interrupts = Interrupts()  # a Ctrl-C, told from kata code that raises KeyboardInterrupt
        self.in_worker = False  # a worker of a split run (katakit.runner.split): its controller reports
        # A grading run has rules of its own for a kata that ends its process (katakit.grading.sandbox).
        self.guards_exits = not config.pluginmanager.has_plugin("katakit.grading.guard")
        if self.guards_exits:
            self.interrupts.install()

    @property
    def target_label(self) -> str:
        try:
            return self.target.relative_to(self.config.rootpath).as_posix()
        except ValueError:
            return str(self.target)

    def pytest_report_header(self, config):
        # The student copy (`katas release`) has no solutions to point at.
        points_at_solutions = not config.getoption("solutions") and (config.rootpath / "solutions").is_dir()
        hint = _("  (pytest --solutions checks the reference solutions)") if points_at_solutions else ""
        # A grading seed, shown so that anyone can replay the run with the same models.
        seed = _("; zoo seed {seed} ({variable})", seed=zoo_seed(), variable=SEED_VARIABLE) if zoo_seed() else ""
        return _("katas: testing {target}/{seed}{hint}", target=self.target_label, seed=seed, hint=hint)

    def pytest_generate_tests(self, metafunc):
        """With --katas-mutants, every kata test runs once per mutant of its kata (the `kata` fixture)."""
        kata = self.course.kata_for_test_file(metafunc.definition.path)
        if self.mutants is None or kata is None or "kata" not in metafunc.fixturenames:
            return
        mutants = self.mutants.by_kata.get(kata.name, [])
        # Only the mutants of a test's own task, where its mark says which (fewer items to collect); else, and where
        # that task has none (an empty parameter set would show as a skipped test), collection drops the others.
        if (number := _task_number(metafunc.definition)) is not None:
            mutants = [mutant for mutant in mutants if mutant.task == number] or mutants
        metafunc.parametrize("kata", mutants, ids=[m.label for m in mutants], indirect=True, scope="module")

    def pytest_collection_finish(self, session):
        """Before any kata test: a cache folder the zoo cannot be built in would fail each at set-up."""
        from katakit.zoo import zoo_problem

        if self.task_of_test and (problem := zoo_problem()):
            raise pytest.UsageError(problem)

    def pytest_deselected(self, items):
        # Deselected before or after this plugin's own collection hook: found by the test file either way.
        self.left_out.update(kata.name for item in items if (kata := self.course.kata_for_test_file(item.path)))

    def pytest_collection_modifyitems(self, config, items):
        problems = []
        if self.mutants is not None:
            self._keep_each_mutants_own_task(config, items)
        for item in items:
            kata = self.course.kata_for_test_file(item.path)
            if kata is None:
                continue
            number = _task_number(item)
            if kata.task(number) is None:
                problems.append(f"{item.nodeid}: needs @pytest.mark.task(N) with N a task of kata {kata.name!r}")
                continue
            self.task_of_test[item.nodeid] = (kata.name, number)
            self.collected[item.nodeid] = kata.name
            self.items[item.nodeid] = item
            item.user_properties.extend([("kata", kata.name), ("task", number)])
        if problems:
            raise pytest.UsageError("\n".join(problems))
        self.leave_out_katas_named_by_one_test()

    def leave_out_katas_named_by_one_test(self) -> None:
        """`tests/test_x.py::test_y` collects only that test: the kata's other tests never show up."""
        for arg in self.config.args:
            path, _separator, test_name = arg.partition("::")
            if test_name and (kata := self.course.kata_for_test_file(Path(path))):
                self.left_out.add(kata.name)

    @pytest.hookimpl(trylast=True, specname="pytest_collection_modifyitems")
    def pytest_collection_modifyitems_in_kata_order(self, items):
        """Tests in kata order, each file's tests in their own order: pytest groups the tests of session
        fixtures with parameters (the encoder sizes, the two causal LMs) across files, which would show a
        kata's results in two places. The references those fixtures keep are made once per process
        (katakit.fixtures.reference), so the order costs no extra model load."""
        order = {kata.test_file: index for index, kata in enumerate(self.course.katas)}
        position = {id(item): index for index, item in enumerate(items)}

        def in_course_order(item) -> tuple[int, int]:
            kata = self.course.kata_for_test_file(item.path)
            return (order[kata.test_file] if kata else -1, position[id(item)])

        items.sort(key=in_course_order)
        if self.mutants is not None:
            killers_first(items, read_first_kills(_path_option(self.config, "katas_first_kills")))

    def pytest_runtest_logstart(self, nodeid):
        if not self.in_worker:
            self.take_digests()

    def take_digests(self) -> None:
        """The files of the collected katas as the tests find them, once, before the first test starts."""
        if not self.digests:
            ran = set(self.collected.values())
            self.digests = {
                kata.name: digests(self.course, self.target, kata) for kata in self.course.katas if kata.name in ran
            }

    def complete_katas(self) -> set[str]:
        """The katas every collected test of which has a result (none deselected, none cut short)."""
        unfinished = {kata for nodeid, kata in self.collected.items() if nodeid not in self.results}
        return set(self.collected.values()) - unfinished - self.left_out

    def _keep_each_mutants_own_task(self, config, items) -> None:
        """A mutant is wrong in one task: the other tasks' tests would pass on it and prove nothing."""
        kept, dropped = [], []
        for item in items:
            mutant = getattr(getattr(item, "callspec", None), "params", {}).get("kata")
            number = _task_number(item)
            (kept if isinstance(mutant, Mutant) and mutant.task == number else dropped).append(item)
        if dropped:
            config.hook.pytest_deselected(items=dropped)
        items[:] = kept

    @pytest.hookimpl(optionalhook=True)  # without pytest-timeout, katakit.startup has said so already
    def pytest_timeout_set_timer(self, item, settings):
        """pytest-timeout's signal timer for a kata test, raising `KataTimeout` instead of failing.

        Hypothesis treats pytest's failure as a falsifying example and replays it to shrink it, with no
        timer left: the endless loop would hang the run. It lets any other BaseException through.
        The limit counts the test's computing (its thread's CPU time): on a machine busy with other work, a
        correct solution takes longer by the clock but computes as much, and must not time out.
        """
        if (
            item.nodeid not in self.task_of_test
            or settings.method != "signal"
            or threading.current_thread() is not threading.main_thread()
        ):
            return None  # pytest-timeout's own timer
        limit = kata_time_limit(settings.timeout)
        computed_at_start, started = time.thread_time(), time.monotonic()

        def on_alarm(signum, frame):
            import pytest_timeout

            if pytest_timeout.is_debugging():
                return
            computed, waited = time.thread_time() - computed_at_start, time.monotonic() - started
            if computed >= limit or waited >= limit * WAIT_FACTOR:
                raise KataTimeout(limit, None if computed >= limit else (waited, computed))
            # Less computed than waited: the machine is busy, or the kata waits. Look again once it could
            # have computed the rest of its limit.
            signal.setitimer(signal.ITIMER_REAL, max(0.05, min(limit - computed, limit * WAIT_FACTOR - waited)))

        def cancel():
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, signal.SIG_DFL)

        item.cancel_timeout = cancel  # pytest-timeout's cancel hook calls it
        signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, limit)
        return True

    @pytest.hookimpl(wrapper=True, trylast=True)
    def pytest_runtest_setup(self, item):
        # trylast: the innermost wrapper, inside pytest's capture of the test's output
        if item.nodeid not in self.task_of_test:
            return (yield)
        if self.mutants is not None and mutant_of_test_id(item.nodeid) in self.killed:
            # One failing test kills a mutant: its task's other tests would only cost time.
            pytest.skip("this mutant is killed already")
        if not self.guards_exits:
            return (yield)
        with kata_may_not_end_the_run(self.interrupts):
            return (yield)

    def _task_key(self, nodeid: str) -> tuple:
        return (*self.task_of_test[nodeid], mutant_of_test_id(nodeid) if self.mutants is not None else None)

    @pytest.hookimpl(wrapper=True, trylast=True)
    def pytest_runtest_call(self, item):
        if item.nodeid not in self.task_of_test:
            return (yield)
        if self.timeouts.get(self._task_key(item.nodeid), 0) >= TIMEOUTS_PER_TASK:
            # An endless loop in a task's function would cost each of its tests the whole limit.
            raise TaskTimedOut(TIMEOUTS_PER_TASK)
        guarded = kata_may_not_end_the_run(self.interrupts) if self.guards_exits else contextlib.nullcontext()
        kata, task = self.task_of_test[item.nodeid]
        changer = _("The code of kata {kata} (task {task})", kata=kata, task=task)
        try:
            with guarded:
                result = yield
        except BaseException as error:
            if not isinstance(error, KeyboardInterrupt):  # a Ctrl-C stops the run; nothing else is said
                model_folders.check_untouched(changer)
            raise
        model_folders.check_untouched(changer)
        return result

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item, call):
        where = self.task_of_test.get(item.nodeid)
        account, not_started = (None, False)
        if where and call.excinfo is not None and not call.excinfo.errisinstance(pytest.skip.Exception):
            account, not_started = self._kata_account(item, call.excinfo, where)
        if account is not None:
            # pytest's own account of the failure would be replaced: it is not made at all (it parses the source
            # of every frame, tens of ms a failure, which the stubs' and mutants' runs have hundreds of).
            item._repr_failure_py = lambda excinfo, style=None: account
        try:
            report = yield
        finally:
            item.__dict__.pop("_repr_failure_py", None)
        if where and report.failed and call.excinfo is not None:
            if call.excinfo.errisinstance(KataTimeout) and not call.excinfo.errisinstance(TaskTimedOut):
                key = self._task_key(item.nodeid)
                self.timeouts[key] = self.timeouts.get(key, 0) + 1
            if not_started:
                report.katas_outcome = NOT_STARTED
            if isinstance(report.longrepr, str):
                report.longrepr = bounded(report.longrepr)
        if where:  # what the kata printed, shown under a failure: a screen's worth at most
            report.sections = [
                (title, bounded(content, OUTPUT_LINES, OUTPUT_BYTES)) for title, content in report.sections
            ]
        return report

    def _kata_account(self, item, excinfo, where: tuple[str, int]) -> tuple[str | None, bool]:
        """What the learner reads for a kata test's failure instead of pytest's account (None: pytest's own),
        and whether it says the task is not started."""
        stub_function = _unfinished_stub(excinfo, self.code)
        if stub_function:
            return _(
                "not started: `{function}` in {place} still raises NotImplementedError (kata {kata}, task {task})",
                function=stub_function,
                place=_(self.code.named),
                kata=where[0],
                task=where[1],
            ), True
        kata_and_task = _("(kata {kata}, task {task})", kata=where[0], task=where[1])
        if excinfo.errisinstance(model_folders.KataChangedAModelFolder) or excinfo.errisinstance(KataTimeout):
            return f"{excinfo.value} {kata_and_task}", False
        if excinfo.errisinstance(KataEndedTheRun):
            line = _line_in_kata(excinfo, self.code)
            return f"{line}{excinfo.value} {kata_and_task}", False
        if error := _error_in_kata(excinfo, self.code, item.fixturenames):
            return f"{error}\n{kata_and_task}", False
        if excinfo.errisinstance(KataProblem):
            return str(excinfo.value), False
        if excinfo.errisinstance(AssertionError) and not wants_full_traceback(item.config):
            return short_failure(excinfo, item.fixturenames, where), False
        return None, False

    def _earlier_task_to_fix(self, item, where: tuple[str, int]) -> str:
        """A line naming an earlier task of the kata that failed in this run and that this task uses, or ""."""
        failing = {
            result.task
            for result in self.results.values()
            if result.kata == where[0] and result.task < where[1] and result.outcome in ("failed", NOT_STARTED)
        }
        if not failing:
            return ""
        kata = self.course.kata_named(where[0])
        used = earlier_functions_used(
            pristine_folder(self.course.root) / kata.file,
            self.code.source(kata),
            where[1],
            getattr(item, "function", None),
        )
        line = fix_first(used, failing)
        return f"\n{line}" if line else ""

    def _where_reported(self, report) -> tuple[str, int] | None:
        """The kata and task a report's own user properties name, for a test collected elsewhere (pytest-xdist's
        workers, katakit.xdist_support)."""
        if report.nodeid not in self.collected:
            return None
        properties = dict(tuple(pair) for pair in report.user_properties)
        if "kata" not in properties or "task" not in properties:
            return None
        self.task_of_test[report.nodeid] = (properties["kata"], properties["task"])
        return self.task_of_test[report.nodeid]

    def _name_the_earlier_task_to_fix(self, report, where: tuple[str, int]) -> None:
        """Where a task's failure may come from an earlier task's function that failed in this run, say so.
        Here, as the report is logged, not as it is made: a split run's tests are logged in collection order
        by its controller (katakit.runner.split), which then knows every result before this one."""
        if (
            self.in_worker
            or self.mutants is not None
            or not report.failed
            or getattr(report, "katas_outcome", None) == NOT_STARTED
            or not isinstance(report.longrepr, str)
        ):
            return
        item = self.items.get(report.nodeid)  # none where the test ran in another process, which named it there
        if item is not None and (line := self._earlier_task_to_fix(item, where)):
            report.longrepr = bounded(report.longrepr + line)

    def pytest_report_teststatus(self, report, config):
        if getattr(report, "katas_outcome", None) == NOT_STARTED:
            return _(NOT_STARTED), "n", (_("NOT STARTED"), {"yellow": True})
        return None

    @pytest.hookimpl(tryfirst=True)  # the earlier task named before anything else reads the report
    def pytest_runtest_logreport(self, report):
        where = self.task_of_test.get(report.nodeid) or self._where_reported(report)
        if where is None or not (report.when == "call" or report.failed or report.skipped):
            return
        self._name_the_earlier_task_to_fix(report, where)
        outcome = getattr(report, "katas_outcome", report.outcome)
        if self.mutants is not None and report.failed and (label := mutant_of_test_id(report.nodeid)):
            if label.startswith("mutant="):
                self.killed.add(label)
        previous = self.results.get(report.nodeid)
        if previous is None or previous.outcome in ("passed", "skipped"):  # the first failure stands
            self.results[report.nodeid] = TestResult(
                report.nodeid, where[0], where[1], outcome, _short_message(report), round(report.duration, 4)
            )

    def pytest_terminal_summary(self, terminalreporter):
        if self.mutants is not None:
            write_mutant_summary(terminalreporter, self.results.values())
        elif self.results:
            ran = progress(self.course, list(self.results.values()), self.complete_katas())
            known = fresh_progress(self.course, self.target, self.store) if self.store is not None else None
            write_summary(terminalreporter, self.course, ran, self.target_label, known)
        if self.store_problem:
            terminalreporter.write_line(self.store_problem, yellow=True)

    def pytest_sessionfinish(self, session, exitstatus):
        path = self.config.getoption("katas_report")
        if path:
            payload = {
                "target": str(self.target),
                "exitstatus": int(exitstatus),
                "complete": sorted(self.complete_katas()),
                "results": [vars(result) for result in self.results.values()],
            }
            write_atomically(Path(path), json.dumps(payload, indent=1))
        if self.store is not None and self.mutants is None:
            self._remember_complete_katas()

    def _remember_complete_katas(self) -> None:
        """Each kata whose tests all ran, on files unchanged since its first test started, goes into the store."""
        by_kata: dict[str, list[TestResult]] = {}
        for result in self.results.values():
            by_kata.setdefault(result.kata, []).append(result)
        entries = {}
        for name in self.complete_katas():
            kata = self.course.kata_named(name)
            if name in self.digests and digests(self.course, self.target, kata) == self.digests[name]:
                entries[name] = (self.digests[name], by_kata[name])
        try:
            record(self.store, entries)
        except OSError as error:
            self.store_problem = f"katas: could not remember this run's results in {self.store}: {error}"


def _task_number(item) -> int | None:
    marker = item.get_closest_marker("task")
    return (marker.args[0] if marker.args else marker.kwargs.get("number")) if marker else None


class KataTimeout(BaseException):
    """A kata test ran past its time limit. A BaseException: neither a kata's `except Exception` nor
    hypothesis (which would replay the endless example to shrink it) catches it."""

    def __init__(self, limit: float, waited: tuple[float, float] | None = None):
        if waited is None:
            text = _(
                "computed for longer than {limit} s: an endless loop? generate() without max_new_tokens? "
                "A kata test computes for about a second.",
                limit=format(limit, "g"),
            )
        else:
            text = _(
                "did not end within {waited} s, computing for {computing} s of them: is it waiting "
                "for something that never comes (input(), a thread or a lock)? If the machine is busy with "
                "other work, run it again.",
                waited=format(waited[0], ".0f"),
                computing=format(waited[1], ".1f"),
            )
        super().__init__(text)


class TaskTimedOut(KataTimeout):
    """The test of a task that has timed out in TIMEOUTS_PER_TASK tests already: not run, failed."""

    def __init__(self, count: int):
        BaseException.__init__(
            self,
            _(
                "not run: {count} tests of this task already ran past their time limit. "
                "Make its function end first (an endless loop? generate() without "
                "max_new_tokens?), then run the tests again.",
                count=count,
            ),
        )


def kata_time_limit(timeout: float) -> float:
    """`timeout` (pyproject.toml), longer for the hypothesis profiles that try more examples."""
    from hypothesis import settings

    return timeout * max(1.0, settings.default.max_examples / EXAMPLES["dev"])


def _last_kata_frame(excinfo, code: KataCode):
    in_kata = [entry for entry in excinfo.traceback if code.owns(entry)]
    return in_kata[-1] if in_kata else None


def _line_in_kata(excinfo, code: KataCode) -> str:
    """`katas/NN_x.py:LINE in function: statement` and a new line, for the kata's last frame; "" if none."""
    last = _last_kata_frame(excinfo, code)
    if last is None:
        return ""
    statement = str(last.statement).strip()
    return (
        _("{place} in {function}: {statement}", place=code.place(last), function=last.name, statement=statement) + "\n"
    )


def _error_in_kata(excinfo, code: KataCode, fixture_names) -> str | None:
    """An error raised by a kata's own code or by the library below it: the kata's line that led to it and
    the error, without the library's frames. None for a failed check of the test, or a stub."""
    if excinfo.errisinstance((AssertionError, NotImplementedError, KataProblem)) or excinfo.errisinstance(KataTimeout):
        return None
    last = _last_kata_frame(excinfo, code)
    if last is None:
        return None
    if last is excinfo.traceback[-1]:
        raised = _("(raised in your code)")
    else:
        raised = _("(raised inside the library, called from your code)")
    notes = "".join(f"\n{note}" for note in learners_notes(excinfo.value, fixture_names))  # the example
    return f"{_line_in_kata(excinfo, code)}{excinfo.typename}: {excinfo.value}\n{raised}{notes}"


def _unfinished_stub(excinfo, code: KataCode) -> str | None:
    """The kata function that raised NotImplementedError, or None if the failure is anything else."""
    if not excinfo.errisinstance(NotImplementedError) or not excinfo.traceback:
        return None
    innermost = excinfo.traceback[-1]
    return innermost.name if code.owns(innermost) else None


def _short_message(report) -> str:
    if report.passed:
        return ""
    crash = getattr(report.longrepr, "reprcrash", None)
    text = crash.message if crash is not None else str(report.longrepr)
    return text[:1000]
