# The suite's pytest plugin and fixtures live in katakit/; this file only loads them.
# Hypothesis' plugin is named here rather than through its entry point (see pyproject.toml).
from katakit.startup import leave_libraries_unrewritten

leave_libraries_unrewritten()  # before the first plugin below imports hypothesis
pytest_plugins = ["_hypothesis_pytestplugin", "katakit.plugin", "katakit.fixtures"]
