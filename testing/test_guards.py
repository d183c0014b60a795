"""A kata that ends the process, interrupts the session or closes the output fails its own tests, and the run
still ends with exit code 1 and the progress summary (katakit/guards.py)."""

import subprocess
import sys

from course_runs import copy_course, learner_env

ENDINGS = {  # kata file -> the function that does it, and what it does
    "01_pipeline.py": [
        ("build_generator", "model_dir", "os._exit(0)"),
        ("continue_text", "generator, prompt, max_new_tokens", "raise KeyboardInterrupt"),
        ("complete_text", "generator, prompt, max_new_tokens", "sys.stdout.close()"),
    ],
    "08_sequence_classification.py": [("load_classifier", "model_dir", "sys.exit(0)")],
}
MESSAGES = [
    "os._exit(0) would end the whole test run at once",
    "KeyboardInterrupt raised by kata code",
    "sys.stdout.close() would close the test run's own output",
    "sys.exit(0) would end the test run",
]


def test_a_kata_that_ends_the_run_fails_its_tests_and_the_run_goes_on(tmp_path):
    course = copy_course(tmp_path)
    for file, functions in ENDINGS.items():
        source = (course / "solutions" / file).read_text() + "\n\nimport os\nimport sys\n"
        for name, args, ending in functions:
            source += f"\n\ndef {name}({args}):\n    {ending}\n"
        (course / "katas" / file).write_text(source)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "tests/test_01_pipeline.py",
            "tests/test_08_sequence_classification.py",
        ],
        cwd=course,
        env=learner_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 1, result.stdout[-3000:]
    for message in MESSAGES:
        assert message in result.stdout, (message, result.stdout[-3000:])
    assert "katas/01_pipeline.py:" in result.stdout and "in continue_text: raise KeyboardInterrupt" in result.stdout
    assert " 1. pipeline                failing     0/3 tasks" in result.stdout, result.stdout[-3000:]
    assert " 8. sequence_classification failing" in result.stdout, result.stdout[-3000:]
    assert "Traceback" not in result.stdout and "INTERNALERROR" not in result.stdout
