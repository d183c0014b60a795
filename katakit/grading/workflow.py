"""`katas grade --workflow [N]`: a GitHub Actions workflow for the instructor's own copy of the course that
grades a GitHub Classroom assignment on N runners at once, then merges their results.

Started by hand (workflow_dispatch) with the assignment's id, the number of shards and, optionally, a seed:
- `settings` checks the inputs and chooses the seed once (the one given, else a new random one), so that every
  shard grades with the same models and examples;
- `grade`, one job per shard K of a matrix: installs the course as the Classroom workflow does (a CPU torch
  first), clones every student repository of the assignment with the GitHub CLI's Classroom extension, and runs
  `katas grade ... --shard K/N --seed SEED`; its output folder is the artifact `grading-shard-K`;
- `merge`, once every shard succeeded: `katas grade --merge` of all those artifacts into the artifact
  `grading`, whose class summary is also the run's summary page.

Every shard clones the whole class: each reads every submission (and `--merge` refuses shards that read
different ones), and grades only its own share. The token of the classroom's owner is the secret named by
TOKEN_SECRET; the workflow's own token cannot read the Classroom's assignments.
"""

from __future__ import annotations

import shlex

from katakit.classroom import CHECKOUT, SETUP_COMMAND, SETUP_PYTHON, yaml_lines

WORKFLOW_PATH = ".github/workflows/grade.yml"
PYTHON_VERSION = "3.11"
DEFAULT_SHARDS = 4
MAX_SHARDS = 256  # the most jobs a GitHub Actions matrix makes
TOKEN_SECRET = "CLASSROOM_TOKEN"
# The extension's release that clones every page of an assignment's repositories by default and says "failed to
# clone" when a clone fails (a run that read less than the whole class is stopped, not graded).
GH_CLASSROOM = "v0.1.17"
SUBMISSIONS = "submissions"
OUT, SHARDS_FOLDER, MERGED = "grading", "shards", "grading"
ARTIFACT = "grading-shard-"
GRADE_TIMEOUT_MIN = 360  # a GitHub-hosted job's limit
MERGE_TIMEOUT_MIN = 30
UPLOAD, DOWNLOAD = "actions/upload-artifact@v6", "actions/download-artifact@v7"

SETTINGS_SCRIPT = f"""\
set -euo pipefail
case "$SHARDS" in
  ''|*[!0-9]*) echo "::error::shards is a whole number from 1 to {MAX_SHARDS}, not '$SHARDS'"; exit 1 ;;
esac
if [ "$SHARDS" -lt 1 ] || [ "$SHARDS" -gt {MAX_SHARDS} ]; then
  echo "::error::shards is a whole number from 1 to {MAX_SHARDS}, not '$SHARDS'"; exit 1
fi
seed="${{SEED:-$(python3 -c 'import secrets; print(secrets.randbelow(2**31))')}}"
case "$seed" in
  *[!0-9]*) echo "::error::seed is a whole number, not '$seed'"; exit 1 ;;
esac
{{
  echo "seed=$seed"
  echo "count=$SHARDS"
  echo "shards=[$(seq -s, 1 "$SHARDS")]"
}} >> "$GITHUB_OUTPUT"
echo "Grading assignment $ASSIGNMENT on $SHARDS shard(s), seed $seed" >> "$GITHUB_STEP_SUMMARY"
"""

CLONE_SCRIPT = f"""\
set -euo pipefail
gh classroom clone student-repos -a "$ASSIGNMENT" --directory {SUBMISSIONS} | tee clone.log
if grep -q "failed to clone" clone.log; then
  echo "::error::some student repositories failed to clone: this shard would not see the whole class"; exit 1
fi
"""


def grade_script(profile: str, katas: tuple[str, ...]) -> str:
    options = [f"--profile {shlex.quote(profile)}", *(f"--kata {shlex.quote(kata)}" for kata in katas)]
    return f"""\
set -euo pipefail
shopt -s nullglob
repositories=({SUBMISSIONS}/*-submissions/*)
if [ "${{#repositories[@]}}" -eq 0 ]; then
  echo "::error::no student repository was cloned for assignment $ASSIGNMENT"; exit 1
fi
katas grade "${{repositories[@]}}" --out {OUT} --shard "$SHARD/$SHARDS" --seed "$SEED" {" ".join(options)}
rm -rf {OUT}/.zoo {OUT}/.work
"""


# Each artifact's folder holds its grading.json (download-artifact extracts a lone artifact into the folder itself).
MERGE_SCRIPT = f"""\
set -euo pipefail
mapfile -t folders < <(find {SHARDS_FOLDER} -maxdepth 2 -name grading.json -exec dirname {{}} \\; | sort)
katas grade --merge --out {MERGED} "${{folders[@]}}"
cat {MERGED}/summary.md >> "$GITHUB_STEP_SUMMARY"
"""


def _course_setup() -> list[dict]:
    return [
        {"name": "Checkout the course", "uses": CHECKOUT},
        {
            "name": "Set up Python",
            "uses": SETUP_PYTHON,
            "with": {"python-version": PYTHON_VERSION, "cache": "pip", "cache-dependency-path": "pyproject.toml"},
        },
        # A CPU build of torch first (README): the course's bare `torch` requirement would pull a CUDA build.
        {"name": "Install the course", "run": SETUP_COMMAND},
    ]


def workflow(shards: int = DEFAULT_SHARDS, profile: str = "grade", katas: tuple[str, ...] = ()) -> dict:
    if not 1 <= shards <= MAX_SHARDS:
        raise ValueError(f"a workflow grades on 1 to {MAX_SHARDS} shards, not {shards}")
    token = {"GH_TOKEN": f"${{{{ secrets.{TOKEN_SECRET} }}}}"}
    shard_env = {
        "ASSIGNMENT": "${{ inputs.assignment }}",
        "SHARD": "${{ matrix.shard }}",
        "SHARDS": "${{ needs.settings.outputs.count }}",
        "SEED": "${{ needs.settings.outputs.seed }}",
    }
    return {
        "name": "Grade a Classroom assignment",
        "on": {
            "workflow_dispatch": {
                "inputs": {
                    "assignment": {
                        "description": "The GitHub Classroom assignment's id (gh classroom assignments lists them)",
                        "required": True,
                        "type": "string",
                    },
                    "shards": {
                        "description": "How many runners grade the class, each a share of the students",
                        "required": True,
                        "type": "number",
                        "default": shards,
                    },
                    "seed": {
                        "description": "The grading seed, the same for every shard (empty: a new random one)",
                        "required": False,
                        "type": "string",
                        "default": "",
                    },
                }
            }
        },
        "permissions": {"contents": "read"},
        "jobs": {
            "settings": {
                "runs-on": "ubuntu-latest",
                "timeout-minutes": 5,
                "outputs": {
                    "seed": "${{ steps.choose.outputs.seed }}",
                    "count": "${{ steps.choose.outputs.count }}",
                    "shards": "${{ steps.choose.outputs.shards }}",
                },
                "steps": [
                    {
                        "name": "Choose the seed, shared by every shard",
                        "id": "choose",
                        "env": {
                            "ASSIGNMENT": "${{ inputs.assignment }}",
                            "SHARDS": "${{ inputs.shards }}",
                            "SEED": "${{ inputs.seed }}",
                        },
                        "run": SETTINGS_SCRIPT,
                    }
                ],
            },
            "grade": {
                "needs": "settings",
                "runs-on": "ubuntu-latest",
                "timeout-minutes": GRADE_TIMEOUT_MIN,
                "strategy": {
                    "fail-fast": False,
                    "matrix": {"shard": "${{ fromJSON(needs.settings.outputs.shards) }}"},
                },
                "steps": [
                    *_course_setup(),
                    {
                        "name": "Install the GitHub CLI's Classroom extension",
                        "env": token,
                        "run": f"gh extension install github/gh-classroom --pin {GH_CLASSROOM}",
                    },
                    {
                        "name": "Clone the students' repositories",
                        "env": token | {"ASSIGNMENT": shard_env["ASSIGNMENT"]},
                        "run": CLONE_SCRIPT,
                    },
                    {
                        "name": "Grade this shard's students",
                        "env": shard_env,
                        "run": grade_script(profile, katas),
                    },
                    {
                        "name": "Keep this shard's results",
                        "uses": UPLOAD,
                        "with": {
                            "name": f"{ARTIFACT}${{{{ matrix.shard }}}}",
                            "path": OUT,
                            "if-no-files-found": "error",
                        },
                    },
                ],
            },
            "merge": {
                "needs": ["settings", "grade"],
                "runs-on": "ubuntu-latest",
                "timeout-minutes": MERGE_TIMEOUT_MIN,
                "steps": [
                    *_course_setup(),
                    {
                        "name": "Download every shard's results",
                        "uses": DOWNLOAD,
                        "with": {"pattern": f"{ARTIFACT}*", "path": SHARDS_FOLDER},
                    },
                    {"name": "Merge the shards", "run": MERGE_SCRIPT},
                    {
                        "name": "Keep the class's results",
                        "uses": UPLOAD,
                        "with": {"name": MERGED, "path": MERGED, "if-no-files-found": "error"},
                    },
                ],
            },
        },
    }


def workflow_text(shards: int = DEFAULT_SHARDS, profile: str = "grade", katas: tuple[str, ...] = ()) -> str:
    command = "katas grade --workflow " + " ".join(
        [str(shards), *([f"--profile {profile}"] if profile != "grade" else []), *(f"--kata {k}" for k in katas)]
    )
    header = (
        "# Grades a GitHub Classroom assignment on several runners, then merges their results (artifact "
        f"`{MERGED}`).\n# Generated by `{command}`. Save it as {WORKFLOW_PATH} in your own copy of the course,\n"
        f"# add the secret {TOKEN_SECRET} (a token of the classroom's owner) and run it from the Actions tab.\n"
    )
    return header + "".join(yaml_lines(workflow(shards, profile, katas)))
