# pyproject.toml's `timeout` is the time limit of one kata test; the suite's own tests start whole pytest runs.
import pytest

SUITE_TEST_TIMEOUT_S = 300


def pytest_collection_modifyitems(items):
    for item in items:
        if item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(SUITE_TEST_TIMEOUT_S))
