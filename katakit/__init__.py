"""katakit: the suite's own code (zoo, pytest plugin, course manifest, CLI)."""
