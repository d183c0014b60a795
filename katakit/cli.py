"""The `katas` command."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from katakit.i18n import LANGUAGE_NAMES, LANGUAGES, N_, _, language, wrapped
from katakit.manifest import MANIFEST_PATH, ManifestError, load_course

KATA_HELP = N_("a kata's name, number or file name: logits, 5, 05_logits.py")
COURSE_URL_HELP = "the course's repository URL, which a notebook's set-up cell clones on Colab"


def find_root(start: Path) -> Path:
    for folder in (start, *start.parents):
        if (folder / MANIFEST_PATH).is_file():
            return folder
    raise SystemExit(
        _("katas: no {manifest} here or in any parent folder; run this inside the course.", manifest=MANIFEST_PATH)
    )


def command_check(args) -> int:
    from katakit.course_check import check_course

    violations = check_course(args.root, args.kata or None)
    for violation in violations:
        print(violation)
    print(f"katas check: {len(violations)} problem(s)" if violations else "katas check: the course is sound")
    return 1 if violations else 0


def _course(root: Path):
    try:
        return load_course(root)
    except ManifestError as error:
        raise SystemExit(f"katas: {error}") from None


def _kata(course, given: str):
    kata = course.find(given)
    if kata is None:
        raise SystemExit(
            _(
                "katas: no kata {given}; name one by its name, number or file: {choices}",
                given=repr(given),
                choices=course.choices(),
            )
        )
    return kata


def command_hint(args) -> int:
    kata = _kata(_course(args.root), args.name)
    tasks = [kata.task(args.task)] if args.task else list(kata.tasks)
    if None in tasks:
        raise SystemExit(_("katas: kata {kata} has tasks 1 to {count}", kata=kata.name, count=len(kata.tasks)))
    for task in tasks:
        print(_("{kata}, task {number}: {title}", kata=kata.name, number=task.number, title=_(task.title)))
        print("\n".join(wrapped(_(task.hint), 80, "  ", first="  ")))
    for link in kata.docs:
        print(_("Docs: {link}", link=link))
    return 0


def _learner(args):
    from katakit.runs import Learner

    return Learner(_course(args.root), args.katas_dir)


def _write_output(data: bytes) -> None:
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def command_list(args) -> int:
    """The progress table; only the katas whose files changed since their last complete run run again."""
    from katakit.runner import SubprocessRunner

    learner = _learner(args)
    if stale := learner.stale():
        print(
            _("katas: running the tests of {count} kata(s) changed since their last run ...", count=len(stale)),
            flush=True,
        )
        run = SubprocessRunner(learner.course.root, learner.environment()).run(
            learner.pytest_args(stale, "-q", "--no-header", "--color=no"), lambda data: None, learner.limits()
        )
        if problem := run.problem():
            print(_("katas: the run {problem}", problem=problem))
    learner.write_progress(sys.stdout)
    return 0


def command_next(args) -> int:
    """Run the tests of one kata (the first not known solved, or the one named) with their output."""
    from katakit.runner import SubprocessRunner

    learner = _learner(args)
    kata = _kata(learner.course, args.name) if args.name else learner.current()
    if kata is None:
        print(_("katas: all {count} katas solved. Well done!", count=len(learner.course.katas)))
        return 0
    print(
        _("katas: running the tests of kata {kata}: pytest {test_file}", kata=kata.name, test_file=kata.test_file),
        flush=True,
    )
    run = SubprocessRunner(learner.course.root, learner.environment()).run(
        learner.pytest_args([kata]), _write_output, learner.limits()
    )
    if problem := run.problem():
        print(_("katas: kata {kata}: the run {problem}", kata=kata.name, problem=problem))
        return 1
    return run.returncode


def command_models(args) -> int:
    """Each zoo model's folder (built first if it is not yet cached), to try the library on in a REPL."""
    from katakit.zoo import ENCODER_SIZES, model_dir, zoo_seed

    (_first_size, first), *other_sizes = ENCODER_SIZES.items()  # the first size is the one the katas call `bert`
    folders = {
        "gpt2": model_dir("gpt2"),
        "llama": model_dir("llama"),
        "bert": model_dir("bert", **first),
        **{size: model_dir("bert", **params) for size, params in other_sizes},
        **{name: model_dir(name) for name in ("sentiment", "ner", "vit")},
    }
    if args.name:
        if args.name not in folders:
            raise SystemExit(
                _(
                    "katas models: no model {name}; the zoo has {models}",
                    name=repr(args.name),
                    models=", ".join(sorted(folders)),
                )
            )
        print(folders[args.name])
        return 0
    print(_("katas models: the zoo (seed {seed}); `katas models NAME` prints one folder", seed=zoo_seed()))
    for name, folder in folders.items():
        print(f"  {name:<12} {folder}")
    return 0


def command_watch(args) -> int:
    from katakit.watch import Watch

    learner = _learner(args)
    return Watch(learner, _kata(learner.course, args.name) if args.name else None).main()


# `katas grade` options that only a grading run takes: --merge and --workflow refuse them.
GRADING_ONLY = ("jobs", "seed", "regrade", "task", "shard", "time_limit", "memory_mb")


def _refuse_options(args, mode: str, options: tuple[str, ...]) -> None:
    given = [name for name in options if getattr(args, name) != args.parser.get_default(name)]
    if given:
        flags = ", ".join("--" + name.replace("_", "-") for name in given)
        args.parser.error(f"{mode} does not take {flags}")


def command_grade(args) -> int:
    from katakit.grading.command import GradeOptions, grade
    from katakit.grading.reports import SUMMARY
    from katakit.grading.sandbox import GradingError, Limits
    from katakit.grading.submissions import SubmissionError, student_name

    if args.workflow is not None:
        return _grade_workflow(args)
    if args.out is None:
        args.parser.error("the following arguments are required: --out")
    if args.merge:
        return _grade_merge(args)
    if args.allow_missing_shards:
        args.parser.error("--allow-missing-shards goes with --merge")
    if not args.submission:
        args.parser.error("the following arguments are required: SUBMISSION")
    if args.shard and args.task:
        args.parser.error("--task checks one student's repository, --shard grades a share of a class: not both")
    options = GradeOptions(
        out=args.out.resolve(),
        jobs=args.jobs,
        seed=args.seed,
        profile=args.profile,
        katas=tuple(args.kata),
        regrade=args.regrade,
        limits=Limits(submission_seconds=args.time_limit, memory_mb=args.memory_mb),
        shard=args.shard,
    )
    try:
        records = grade(_course(args.root), [path.resolve() for path in args.submission], options)
    except (SubmissionError, GradingError) as error:
        raise SystemExit(f"katas grade: {error}") from None
    print((options.out / SUMMARY).read_text(), end="")
    if args.task is None:
        return 0
    # For an autograder step per task: did every submission given here earn all of that task's points?
    graded = {student_name(path) for path in args.submission}
    tasks = [
        task
        for record in records
        if record["student"] in graded
        for task in record["tasks"]
        if f"{task['kata']}:{task['task']}" == args.task
    ]
    if not tasks:
        raise SystemExit(f"katas grade: no task {args.task} was graded (write KATA:N, e.g. pipeline:1)")
    return 0 if all(task["points"] == task["max_points"] for task in tasks) else 1


def _grade_merge(args) -> int:
    """`katas grade --merge --out OUT FOLDER...`: the shards' output folders as one class."""
    from katakit.grading.reports import SUMMARY
    from katakit.grading.shards import MergeError, merge

    _refuse_options(args, "--merge", (*GRADING_ONLY, "profile", "kata"))
    if not args.submission:
        args.parser.error("--merge needs the output folders of the shards: katas grade --merge --out OUT FOLDER...")
    try:
        merge(args.out.resolve(), args.submission, args.allow_missing_shards)
    except MergeError as error:
        raise SystemExit(f"katas grade --merge: nothing merged: {error}") from None
    print((args.out / SUMMARY).read_text(), end="")
    return 0


def _grade_workflow(args) -> int:
    """`katas grade --workflow [N] [--out FILE]`: the GitHub Actions workflow that grades a class on N runners."""
    from katakit.grading.workflow import MAX_SHARDS, WORKFLOW_PATH, workflow_text

    _refuse_options(args, "--workflow", (*GRADING_ONLY, "merge", "allow_missing_shards"))
    if args.submission:
        args.parser.error("--workflow takes no submissions: the workflow clones them")
    if not 1 <= args.workflow <= MAX_SHARDS:
        args.parser.error(f"--workflow N: N is the number of runners, 1 to {MAX_SHARDS}, not {args.workflow}")
    course = _course(args.root)
    unknown = [name for name in args.kata if course.kata_named(name) is None]
    if unknown:
        args.parser.error(f"no kata named {', '.join(unknown)}: the katas are {course.choices()}")
    text = workflow_text(args.workflow, args.profile, tuple(args.kata))
    if args.out is None:
        print(text, end="")
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"katas grade: wrote {args.out}; in your copy of the course it goes in {WORKFLOW_PATH}")
    return 0


def _shard(text: str) -> tuple[int, int]:
    from katakit.grading.shards import parse_shard

    try:
        return parse_shard(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def command_snapshot(args) -> int:
    from katakit.pristine import snapshot

    written = snapshot(_course(args.root))
    print(f"katas snapshot: {len(written)} pristine stubs written to {written[0].parent}")
    return 0


def command_reset(args) -> int:
    from katakit.pristine import drift, pristine_folder, restore

    kata = _kata(_course(args.root), args.name)
    if not (pristine_folder(args.root) / kata.file).is_file():
        raise SystemExit(f"katas: {drift(args.root, kata)}")
    target = f"katas/{kata.file}"
    if not args.yes:
        if not sys.stdin.isatty():
            raise SystemExit(
                _(
                    "katas reset: this would overwrite {file} with its untouched stub, losing your "
                    "work in it; no terminal to ask on, so nothing was changed (add --yes to do it).",
                    file=target,
                )
            )
        answer = input(_("Overwrite {file} with its untouched stub? Your work in it is lost. [y/N] ", file=target))
        if answer.strip().lower() not in ("y", "yes", _("y")):
            print(_("katas reset: nothing was changed."))
            return 1
    restore(args.root, kata, language())
    print(_("katas reset: {file} is its untouched stub again; no other file was changed.", file=target))
    return 0


def command_lang(args) -> int:
    """The untouched stubs of katas/ rewritten in another language; a kata file holding work is never touched."""
    from katakit.stub_prose import stub_in, untouched_in_any_language

    course = _course(args.root)
    changed = 0
    for kata in course.katas:
        path = args.root / "katas" / kata.file
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current is None or not untouched_in_any_language(args.root, kata, current):
            print(_("katas lang: katas/{file} holds your work: left as it is", file=kata.file))
            continue
        wanted = stub_in(args.root, kata, args.language)
        if wanted != current:
            path.write_text(wanted, encoding="utf-8")
            changed += 1
    named = _(LANGUAGE_NAMES[args.language])
    print(_("katas lang: {count} untouched stub(s) rewritten in {language}", count=changed, language=named))
    if args.language != "en":
        print(_("katas lang: set KATAS_LANG={language} for the messages too", language=args.language))
    return 0


def command_notebooks(args) -> int:
    from katakit.notebooks.write import notebook_name, write_notebooks

    course = _course(args.root)
    written = write_notebooks(course, args.out, args.course_url, language())
    for kata in course.katas:
        if (path := args.out / notebook_name(kata)) not in written:  # it was there: it may hold the learner's work
            print(_("katas notebooks: left as it was: {path}; delete it to get the untouched notebook", path=path))
    print(_("katas notebooks: wrote {count} notebook(s) to {folder}", count=len(written), folder=args.out))
    for path in written:
        print(f"  {path.name}")
    return 0


def command_release(args) -> int:
    from katakit.classroom import WORKFLOW_PATH
    from katakit.release import ReleaseRefused, left_out_katas_files, release

    try:
        written = release(args.root, args.out, args.course_url, args.lang)
    except ReleaseRefused as error:
        raise SystemExit(f"katas release: nothing written: {error}") from None
    course = _course(args.root)
    tasks = [task for kata in course.katas for task in kata.tasks]
    groups: dict[str, list[str]] = {}
    for path in written:
        groups.setdefault(path.split("/")[0], []).append(path)
    print(f"katas release: wrote the student copy of the course to {args.out}:")
    for top, paths in groups.items():
        if len(paths) > 1:
            print(f"  {top}/ ({len(paths)} files)")
        elif paths[0] == WORKFLOW_PATH:
            print(f"  {WORKFLOW_PATH}: autogrades {len(tasks)} tasks, {sum(task.points for task in tasks)} points")
        else:
            print(f"  {paths[0]}")
    for path in left_out_katas_files(course):
        print(f"  left out: {path}, not a kata of the manifest")
    print(
        f"Next: cd {args.out} && git init && git add . && git commit -m 'Starter code', push it to a new GitHub "
        "repository, mark that repository as a template and make it the starter code of a GitHub Classroom "
        "assignment (docs/teaching.md says how)."
    )
    return 0


def main(argv=None) -> int:
    from katakit.grading.workflow import DEFAULT_SHARDS

    parser = argparse.ArgumentParser(prog="katas", description="transformers-katas: the course's own tools")
    parser.add_argument("--root", type=Path, default=None, help="the course folder (default: found from here)")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="prove the course sound: solutions pass, stubs fail, files agree")
    check.add_argument("kata", nargs="*", help="check only these katas, by name, number or file (default: all)")
    check.set_defaults(run=command_check)
    hint = commands.add_parser("hint", help=_("show the hint of a kata's tasks"))
    hint.add_argument("name", metavar="KATA", help=_(KATA_HELP))
    hint.add_argument("task", nargs="?", type=int)
    hint.set_defaults(run=command_hint)
    for name, run, help_text in (
        ("list", command_list, N_("show each kata's status; runs only the katas changed since their last run")),
        ("next", command_next, N_("run the tests of the first kata not solved (or of KATA), then show its hint")),
        ("watch", command_watch, N_("check a kata each time its file is saved, starting at the current one (or KATA)")),
    ):
        learner = commands.add_parser(name, help=_(help_text))
        if name != "list":
            learner.add_argument("name", metavar="KATA", nargs="?", help=_(KATA_HELP))
        learner.add_argument(
            "--katas-dir", type=Path, default=None, metavar="PATH", help=_("test the katas in PATH instead of katas/")
        )
        learner.set_defaults(run=run)
    models = commands.add_parser("models", help=_("print each zoo model's folder, to try the library on it"))
    models.add_argument(
        "name", metavar="NAME", nargs="?", help=_("print only this model's folder (gpt2, llama, bert...)")
    )
    models.set_defaults(run=command_models)
    reset = commands.add_parser("reset", help=_("put the untouched stub of one kata back into katas/"))
    reset.add_argument("name", metavar="KATA", help=_(KATA_HELP))
    reset.add_argument("--yes", action="store_true", help=_("overwrite without asking"))
    reset.set_defaults(run=command_reset)
    grade = commands.add_parser(
        "grade",
        help="(instructors) grade students' katas with the course's own tests",
        description="Grade: katas grade SUBMISSION... --out DIR [--shard K/N]. Merge the shards' folders: "
        "katas grade --merge --out DIR FOLDER... Write a workflow that grades a Classroom assignment on N "
        "runners: katas grade --workflow [N] [--out FILE].",
    )
    grade.add_argument(
        "submission",
        nargs="*",
        type=Path,
        metavar="SUBMISSION",
        help="a student's folder (a clone or its katas/) or zip; with --merge, a shard's output folder",
    )
    grade.add_argument(
        "--out",
        type=Path,
        help="where grades.csv, results/, junit/ and summary.md go (with --workflow: the file to write)",
    )
    grade.add_argument("--jobs", type=int, default=0, help="submissions graded at once (default: one per core)")
    grade.add_argument(
        "--seed",
        type=int,
        default=None,
        help="the zoo's and hypothesis' seed (default: the one recorded in --out, else a new one)",
    )
    grade.add_argument(
        "--profile",
        default="grade",
        choices=["dev", "ci", "grade"],
        help="hypothesis examples per property: dev 8, ci 40, grade 100 (default)",
    )
    grade.add_argument("--kata", action="append", default=[], metavar="NAME", help="grade only this kata (repeat)")
    grade.add_argument("--regrade", action="store_true", help="grade again submissions already graded in --out")
    grade.add_argument(
        "--task",
        metavar="KATA:N",
        help="exit 0 only if every submission earned all of that task's points (one autograding step per task)",
    )
    grade.add_argument("--time-limit", type=float, default=1200.0, metavar="SECONDS", help="per submission")
    grade.add_argument("--memory-mb", type=int, default=8192, help="the memory limit of a grading process")
    grade.add_argument(
        "--shard",
        type=_shard,
        metavar="K/N",
        help="grade only shard K of N: the students whose name's SHA-256 is K-1 modulo N (every submission is "
        "still read); give every shard the same --seed, then --merge their folders",
    )
    grade.add_argument(
        "--merge",
        action="store_true",
        help="merge the output folders given (the shards of one K/N set) into --out, a new or empty folder",
    )
    grade.add_argument(
        "--allow-missing-shards",
        action="store_true",
        help="with --merge: merge even though some shards of the K/N set are missing (their students get no grade)",
    )
    grade.add_argument(
        "--workflow",
        type=int,
        nargs="?",
        const=DEFAULT_SHARDS,
        metavar="N",
        help="print a GitHub Actions workflow that grades a Classroom assignment on N runners "
        f"(default {DEFAULT_SHARDS}) and merges them; --out FILE writes it there; --profile and --kata go into "
        "its grading command",
    )
    grade.set_defaults(run=command_grade, parser=grade)
    snapshot = commands.add_parser("snapshot", help="(course authors) keep katas/ as the stubs `reset` restores")
    snapshot.set_defaults(run=command_snapshot)
    released = commands.add_parser("release", help="(instructors) write the student copy of the course into OUT")
    released.add_argument("out", type=Path, metavar="OUT", help="a new or empty folder")
    released.add_argument("--course-url", metavar="URL", help=COURSE_URL_HELP)
    released.add_argument(
        "--lang", choices=LANGUAGES, default="en", help="the language of the stubs' docstrings and comments"
    )
    released.set_defaults(run=command_release)
    lang = commands.add_parser("lang", help=_("rewrite the untouched stubs of katas/ in a language (en, ko)"))
    lang.add_argument("language", choices=LANGUAGES, metavar="LANG", help=_("en or ko"))
    lang.set_defaults(run=command_lang)
    notebooks = commands.add_parser("notebooks", help=_("write a Jupyter notebook of each kata into OUT"))
    notebooks.add_argument(
        "out", type=Path, metavar="OUT", help=_("a folder, created if missing; no notebook in it is overwritten")
    )
    notebooks.add_argument("--course-url", metavar="URL", help=COURSE_URL_HELP)
    notebooks.set_defaults(run=command_notebooks)
    args = parser.parse_args(argv)
    args.root = (args.root or find_root(Path.cwd())).resolve()
    if getattr(args, "katas_dir", None):
        args.katas_dir = args.katas_dir.resolve()
    try:
        return args.run(args)
    except KeyboardInterrupt:  # Ctrl-C ends any command quietly: what it was doing is cut short, nothing more
        print("\n" + _("katas: stopped."), file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
