"""katakit: the suite's own code (zoo, pytest plugin, course manifest, CLI).

In a notebook, `import katakit` (or `%load_ext katakit`) and then `katakit.check("pipeline", tasks=2)` runs the
tests of that kata's tasks so far against the functions the notebook defines (katakit.notebooks.kernel).
"""

import sys


def check(kata, tasks=None):
    """Check the calling notebook's functions against the tests of `kata`'s tasks 1 to `tasks` (all by default)."""
    from katakit.notebooks.kernel import check as check_in_kernel

    check_in_kernel(kata, tasks, namespace=sys._getframe(1).f_globals)


def load_ipython_extension(ipython) -> None:
    """`%load_ext katakit`: `katakit` is there to call."""
    ipython.push({"katakit": sys.modules[__name__]})
