"""Instructor grading: `katas grade` runs the instructor's tests against many students' `katas/`.

- `submissions`: finds each student's kata files in a folder or a zip, and copies only those.
- `sandbox`: runs the tests on one submission in a separate, limited process, restarting it after a crash
  or a hang, and collects one result per test.
- `guard`: the pytest plugin inside that process: what a kata may not do while it is graded, and the
  stream of results it writes for the parent.
- `scoring`, `reports`: points per task, and grades.csv, results/, junit/ and the class summary.
- `command`: `katas grade` itself, several submissions at once.
- `shards`: `--shard K/N`, the students one machine grades, and `--merge`, the shards' folders as one class.
- `workflow`: `--workflow [N]`, a GitHub Actions workflow that grades a Classroom assignment on N runners.
"""
