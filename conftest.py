# The suite's pytest plugin and fixtures live in katakit/; this file only loads them.
# Hypothesis' plugin is named here rather than through its entry point (see pyproject.toml).
pytest_plugins = ["_hypothesis_pytestplugin", "katakit.plugin", "katakit.fixtures"]
