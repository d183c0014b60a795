"""The pytest plugin of a grading run (`-p katakit.grading.guard`): the policy, the integrity checks,
and one JSON line per event in the results stream, which the parent process reads.

Lines, in order: {"event": "collected", "tests": [[nodeid, kata, task], ...]}; then per test
{"event": "start", "nodeid"}, maybe {"event": "import", "file"} and {"event": "imported"} around a kata's
import, and {"event": "result", ...}; {"event": "finished"} at the end. A run that ends without
"finished" crashed or was stopped, in the test of the last "start".

The state lives in closures and in the plugin object pytest holds, not in module globals a kata could
import. The stream is written through functions bound before any kata code runs.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from katakit import loader
from katakit.grading.integrity import Snapshot
from katakit.grading.policy import Enforcer, Policy
from katakit.plugin import RUN

POLICY_ENV = "KATAS_GRADE_POLICY"  # a JSON file: the Policy's fields and "stream"
TAMPERED = "tampered"
# Types a kata may return: Python's own and the libraries'. Anything else could define its own `__eq__`.
RETURNABLE_PACKAGES = frozenset({"builtins", "torch", "transformers", "tokenizers", "numpy", "PIL", "collections"})


def pytest_configure(config):
    settings = json.loads(Path(os.environ[POLICY_ENV]).read_text())
    stream = open(settings.pop("stream"), "a", buffering=1, encoding="utf-8")  # noqa: SIM115 (open all run)
    policy = Policy(**{key: tuple(v) if isinstance(v, list) else v for key, v in settings.items()})
    config.pluginmanager.register(GradingGuard(config, policy, stream), "katas-grading-guard")


class GradingGuard:
    def __init__(self, config, policy: Policy, stream):
        self.config = config
        self.refusals: list[str] = []  # what the current test's kata code tried
        self.snapshot: Snapshot | None = None  # taken when the first kata is imported
        self._write = stream.write
        self._dumps = json.dumps
        self.enforcer = Enforcer(policy, self.refusals.append)
        sys.addaudithook(self.enforcer)
        _watch_kata_imports(self)
        _check_returned_types(self)

    def emit(self, **line) -> None:
        self._write(self._dumps(line) + "\n")

    def pytest_collection_finish(self, session):
        run = self.config.stash[RUN]
        self.emit(event="collected", tests=[[nodeid, *where] for nodeid, where in run.task_of_test.items()])

    def pytest_runtest_logstart(self, nodeid):
        self.refusals.clear()
        self.emit(event="start", nodeid=nodeid)

    def pytest_runtest_setup(self, item):
        if self.snapshot is not None:
            self.snapshot.extend()  # the modules the fixtures just imported, before kata code runs

    def check_integrity(self) -> None:
        changed = self.snapshot.restore_changes() if self.snapshot is not None else []
        if changed:
            self.refusals.append("replacing " + ", ".join(changed[:5]) + (" ..." if len(changed) > 5 else ""))

    def before_kata_import(self, path: Path) -> None:
        if self.snapshot is None:
            # Late: the library patches itself as it first runs (torch wraps functions, transformers
            # swaps its lazy module); the first test's fixtures have run it by now.
            warm_up_library()
            self.snapshot = Snapshot(also_under=(os.path.join(os.path.realpath(self.enforcer.policy.tests), ""),))
        self.snapshot.extend()
        self.enforcer.arm()
        self.emit(event="import", file=path.name)

    def after_kata_import(self) -> None:
        self.emit(event="imported")

    def pytest_runtest_logfinish(self, nodeid):
        # After teardown, when the test's own monkeypatches are undone; what a kata replaced and the
        # test then used decides nothing, since this line, not pytest's report, is the result.
        self.check_integrity()
        result = self.config.stash[RUN].results.get(nodeid)
        if result is None:
            return
        line = dict(vars(result))
        # The same message for every student: this copy's folder is the student's katas/.
        line["message"] = line["message"].replace(self.enforcer.policy.katas, "katas")
        if self.refusals:
            line.update(
                outcome=TAMPERED,
                message="tampering: "
                + "; ".join(dict.fromkeys(self.refusals))
                + f" (kata {result.kata}, task {result.task}). "
                + (line["message"] or ""),
            )
        self.emit(event="result", **line)

    def pytest_sessionfinish(self, session):
        self.emit(event="finished")


def warm_up_library() -> None:
    """Import what the tests will use, so the library's lazy set-up happens before the snapshot."""
    import transformers
    import transformers.pipelines  # noqa: F401

    for auto_class in (
        "AutoModelForCausalLM",
        "AutoModel",
        "AutoModelForMaskedLM",
        "AutoTokenizer",
        "AutoModelForSequenceClassification",
        "AutoModelForTokenClassification",
        "AutoModelForImageClassification",
        "AutoImageProcessor",
        "AutoConfig",
    ):
        getattr(transformers, auto_class)


def _watch_kata_imports(guard: GradingGuard) -> None:
    """Arm the policy when the first kata file is imported, and check what its import replaced."""
    import_by_path = loader._import_by_path

    def watched(path, shown_as):
        guard.before_kata_import(path)
        try:
            return import_by_path(path, shown_as)
        finally:
            guard.after_kata_import()

    loader._import_by_path = watched


def _check_returned_types(guard: GradingGuard) -> None:
    """Every kata function's result may hold only Python's and the libraries' types."""
    get_function = loader.KataModule.__getattr__

    def checked_getattr(module, name):
        found = get_function(module, name)
        if not callable(found):
            return found

        def call(*args, **kwargs):
            result = found(*args, **kwargs)
            if foreign := _foreign_type(result):
                guard.refusals.append(f"returning a {foreign} from {name}")
                raise loader.KataProblem(
                    f"{name} returned a {foreign}: a kata returns Python's or the "
                    "libraries' own types (str, list, dict, tensor...), as its docstring says"
                )
            return result

        return call

    loader.KataModule.__getattr__ = checked_getattr


def _foreign_type(value, depth: int = 0) -> str | None:
    kind = type(value)
    if kind.__module__.partition(".")[0] not in RETURNABLE_PACKAGES:
        return f"{kind.__module__}.{kind.__qualname__}"
    if depth < 4 and kind in (list, tuple, set, frozenset):
        return next(filter(None, (_foreign_type(item, depth + 1) for item in list(value)[:10_000])), None)
    if depth < 4 and kind is dict:
        items = [part for pair in list(value.items())[:10_000] for part in pair]
        return next(filter(None, (_foreign_type(item, depth + 1) for item in items)), None)
    return None
