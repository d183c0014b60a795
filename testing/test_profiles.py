"""Hypothesis profiles: few examples for the learner's loop, more for CI and grading, chosen by environment."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from katakit.profiles import EXAMPLES, PROFILE_ENV

SHOW_EXAMPLES = "import katakit.plugin; from hypothesis import settings; print(settings.default.max_examples)"


def examples_with(profile: str | None) -> int:
    env = {key: value for key, value in os.environ.items() if key != PROFILE_ENV}
    if profile:
        env[PROFILE_ENV] = profile
    result = subprocess.run(
        [sys.executable, "-c", SHOW_EXAMPLES], env=env, capture_output=True, text=True, check=True, timeout=120
    )
    return int(result.stdout.strip())


def test_profiles_look_harder_for_ci_and_harder_still_for_grading():
    assert EXAMPLES["dev"] < EXAMPLES["ci"] < EXAMPLES["grade"]


@pytest.mark.parametrize("profile", [None, "ci", "grade"])
def test_the_environment_chooses_the_profile_and_dev_is_the_default(profile):
    assert examples_with(profile) == EXAMPLES[profile or "dev"]
