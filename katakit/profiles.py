"""Hypothesis profiles: `dev` for the learner's quick loop, `ci` and `grade` to look harder.

Pick one with `pytest --hypothesis-profile=ci` or `KATAS_HYPOTHESIS_PROFILE=ci`.
"""

import os

from hypothesis import HealthCheck, settings

EXAMPLES = {"dev": 8, "ci": 40, "grade": 100}
PROFILE_ENV = "KATAS_HYPOTHESIS_PROFILE"


def register_profiles() -> None:
    for name, examples in EXAMPLES.items():
        settings.register_profile(
            name,
            max_examples=examples,
            # A model call on a busy machine can take longer than hypothesis' 200 ms default.
            deadline=None,
            # Function-scoped fixtures are fresh model objects per test, shared by its examples
            # on purpose: reloading them per example would multiply the run time.
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        )
    settings.load_profile(os.environ.get(PROFILE_ENV, "dev"))
