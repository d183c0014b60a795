# The suite's pytest plugin and fixtures live in katakit/; this file only loads them, once this Python is seen to
# have what they need (katakit/startup.py: otherwise one line says what is missing, and no test runs).
# Hypothesis' plugin is named here rather than through its entry point (see pyproject.toml).
from katakit.startup import environment_problem, leave_libraries_unrewritten

if environment_problem():
    pytest_plugins = ["katakit.startup"]
else:
    leave_libraries_unrewritten()  # before the first plugin below imports hypothesis
    pytest_plugins = ["_hypothesis_pytestplugin", "katakit.plugin", "katakit.fixtures"]
