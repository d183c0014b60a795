"""Hypothesis profiles: `dev` for the learner's quick loop, `ci` and `grade` to look harder, and `mutants`
for `katas check`'s run on the wrong solutions.

Pick one with `pytest --hypothesis-profile=ci` or `KATAS_HYPOTHESIS_PROFILE=ci`.
"""

import os

EXAMPLES = {"dev": 8, "ci": 40, "grade": 100}
PROFILE_ENV = "KATAS_HYPOTHESIS_PROFILE"
# A kata test's time limit counts the seconds it computed (its thread's CPU time), which a busy machine does
# not stretch; a test that computes little but never ends (waiting on input, a thread, a lock) is stopped
# after this many times the limit of wall-clock time (katakit.plugin).
WAIT_FACTOR = 3


def examples_of(profile: str) -> int:
    """Examples per property under `profile`; "mutants" is dev's, an unknown name counts as the most."""
    return EXAMPLES.get("dev" if profile == "mutants" else profile, max(EXAMPLES.values()))


def register_profiles() -> None:
    # Imported here: the `katas` command reads this module's names without paying for hypothesis.
    from hypothesis import HealthCheck, Phase, settings

    for name, examples in EXAMPLES.items():
        settings.register_profile(
            name,
            max_examples=examples,
            # A model call on a busy machine can take longer than hypothesis' 200 ms default.
            deadline=None,
            # Function-scoped fixtures are fresh model objects per test, shared by its examples
            # on purpose: reloading them per example would multiply the run time.
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
            # One failure per test, not a group of each distinct one: the learner fixes one thing at a time.
            report_multiple_bugs=False,
            # Grading replays no failures saved by an earlier run: each result comes from its own seed alone.
            **({"database": None} if name == "grade" else {}),
        )
    # A mutant needs one failing example to be killed: no shrinking, no explaining; the same examples every
    # run, so that a verdict does not change from one check to the next.
    settings.register_profile(
        "mutants",
        settings.get_profile("dev"),
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
    )
    settings.load_profile(os.environ.get(PROFILE_ENV, "dev"))


def seed_torch(value: int) -> None:
    """`torch.manual_seed(value)` for what the tests run: on the CPU. torch.manual_seed also queues the seed for
    each accelerator not yet in use, with a stack trace formatted for each (half a millisecond inside pytest, a
    fifth of a quick kata's run when hypothesis seeds every example); where one is in use, it is called as such."""
    import torch

    accelerators = [getattr(torch, name, None) for name in ("cuda", "xpu", "mtia")]
    if any(getattr(device, "is_initialized", bool)() for device in accelerators) or torch.backends.mps.is_available():
        torch.manual_seed(value)
    else:
        torch.random.default_generator.manual_seed(value)


class TorchRandom:
    """torch's global generator, in the shape `hypothesis.register_random` manages.

    Hypothesis then seeds it before every example and restores it after, so a kata that samples
    fails the same way every time instead of as a "flaky" test.
    """

    def seed(self, value) -> None:
        seed_torch(value)

    def getstate(self):
        import torch

        return torch.get_rng_state()

    def setstate(self, state) -> None:
        import torch

        torch.set_rng_state(state)


# Hypothesis keeps a weak reference only: this module holds the strong one.
TORCH_RANDOM = TorchRandom()


def manage_torch_seed() -> None:
    from hypothesis import register_random

    register_random(TORCH_RANDOM)
