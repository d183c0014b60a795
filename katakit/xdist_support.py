"""`pytest -n N` (pytest-xdist): its controller process collects no test and runs none, so the course's plugin
there learns the tests from the workers: the node ids each collected, and each result's kata and task from the
user properties its report carries (katakit.plugin puts them on every kata test). With that, the controller
shows the progress summary and remembers complete katas as a serial run does."""

from __future__ import annotations

from pathlib import Path

# A run that selects some tests: each worker collects only those, and the controller cannot tell a kata run whole
# from one run in part, so it counts every kata as run in part (never solved, nothing remembered).
SELECTING = ("keyword", "markexpr", "deselect", "lf", "stepwise")


def is_xdist_controller(config) -> bool:
    return (
        config.pluginmanager.hasplugin("xdist")
        and bool(getattr(config.option, "numprocesses", None))
        and getattr(config.option, "dist", "no") != "no"
        and not hasattr(config, "workerinput")
    )


class XdistController:
    """The pytest plugin of the course in pytest-xdist's controller (registered by katakit.plugin)."""

    def __init__(self, run):
        self.run = run  # katakit.plugin.KataRun
        if any(getattr(run.config.option, name, None) for name in SELECTING):
            run.left_out.update(kata.name for kata in run.course.katas)

    def pytest_xdist_node_collection_finished(self, node, ids):
        run = self.run
        for nodeid in ids:
            if nodeid not in run.collected and (kata := run.course.kata_for_test_file(Path(nodeid.split("::")[0]))):
                run.collected[nodeid] = kata.name
        run.leave_out_katas_named_by_one_test()
        run.take_digests()
