"""The course in Korean as well as English: the language switch, the catalogues' checks, and the learner's loop
under KATAS_LANG=ko with no English sentence left in what the course itself says (code and values aside)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from course_runs import ROOT, copy_course, learner_env

from katakit import i18n
from katakit.course_check import _code_of
from katakit.i18n import _, columns
from katakit.manifest import load_course
from katakit.translations import catalogue_path, catalogue_problems

COURSE = load_course(ROOT)
HANGUL = re.compile(r"[\uac00-\ud7a3]")
# Words of the course's own that stay as they are in every language: names of tools, files and code.
KEPT = {
    "ids",  # a label naming a part of a returned tuple
    "label",  # a key of a returned dict, named after the call: `classify(...): label`
    "score",  # another: `classify_top_k(...)[0]: score`
    "argmax",
    "Python",
    "katas",
    "pytest",
    "transformers",
    "API",
    "Auto",
    "config",
    "Hub",
    "lang",
    "temperature",
    "generate",
    "decode",
    "query",
    "documents",
    "Llama",  # a model family's name, written so in Korean too (as GPT-2 and BERT are)
}
KEPT |= {"list", "tuple", "dict", "str", "int", "float", "bool", "Tensor", "True", "False", "None"}  # Python's
PYTESTS_OWN = re.compile(r"\b(passed|failed|skipped|deselected|errors?|warnings?)\b.* in [\d.]+s\b")


def without_calls(line: str) -> str:
    """The line less every call written out, `name(...)` with its arguments (values, reprs cut short)."""
    while found := re.search(r"\b[\w.]+\(", line):
        depth, end = 0, len(line)
        for index in range(found.end() - 1, len(line)):
            depth += {"(": 1, ")": -1}.get(line[index], 0)
            if depth == 0:
                end = index + 1
                break
        line = line[: found.start()] + " " + line[end:]
    return line


def english_left(line: str) -> list[str]:
    """The English words of a line once code, values and names are taken out: calls with their arguments,
    keyword arguments and their values, `code`, quoted values, paths, links, options, identifiers (snake_case,
    CamelCase, dotted, hyphenated), an English gloss in parentheses after a Korean word (as the Korean docs write
    it), kata names; nothing of a line that is an error's own text (`SomeError: ...`)."""
    if re.match(r"\s*[\w.]*(Error|Exception)\b.*: ", line):
        return []  # an error raised by the library or Python, with its own text: shown as it is
    line = without_calls(line)
    line = re.sub(r"\w+=(<[^>]*>|\[[^\]]*\]|'[^']*'|\"[^\"]*\"|\S+)", " ", line)  # <...>: an object's repr
    line = re.sub(r"`[^`]*`|\"[^\"]*\"|'[^']*'", " ", line)
    line = re.sub(r"https?://\S+|\S*/\S*|\S+\.py\b|--[\w-]+|\S+ -> ", " ", line)
    line = re.sub(r"(?<=[\uac00-\ud7a3])\([A-Za-z][A-Za-z ]*\)", " ", line)
    line = re.sub(r"\b\w*_\w*\b|\b\w+(\.\w+)+\b|<\|[^|]*\|>|\b\w+(-\w+)+\b", " ", line)
    line = re.sub(r"\b[A-Z]\w*[A-Z0-9]\w*\b", " ", line)  # CamelCase and acronyms: class and model names
    for kata in COURSE.katas:
        line = line.replace(kata.name, " ")
    return [word for word in re.findall(r"[A-Za-z]{3,}", line) if word not in KEPT]


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, "en"),
        ({"KATAS_LANG": "ko"}, "ko"),
        ({"LANG": "ko_KR.UTF-8"}, "ko"),
        ({"LANG": "ko_KR.UTF-8", "KATAS_LANG": "en"}, "en"),
        ({"LC_ALL": "en_US.UTF-8", "LANG": "ko_KR.UTF-8"}, "en"),
        ({"KATAS_LANG": "fr"}, "en"),  # no catalogue: English
        ({"LC_MESSAGES": "ko-KR"}, "ko"),
    ],
)
def test_the_language_comes_from_katas_lang_else_the_locale(monkeypatch, environment, expected):
    for variable in ("KATAS_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    assert i18n.language() == expected


def test_a_message_is_translated_and_its_named_placeholders_filled_in_any_order(monkeypatch):
    monkeypatch.setenv("KATAS_LANG", "en")
    english = _("{solved}/{total} tasks", solved=2, total=5)
    assert english == "2/5 tasks"
    monkeypatch.setenv("KATAS_LANG", "ko")
    korean = _("{solved}/{total} tasks", solved=2, total=5)
    assert HANGUL.search(korean) and "2" in korean and "5" in korean, korean
    assert _(COURSE.katas[0].tasks[0].hint) != COURSE.katas[0].tasks[0].hint  # the manifest's texts too


def test_every_sentence_of_the_course_is_translated(monkeypatch):
    assert catalogue_problems(ROOT) == []


def write_catalogue(root: Path, entries: str) -> Path:
    path = catalogue_path(root, "ko")
    path.parent.mkdir(parents=True)
    header = 'msgid ""\nmsgstr ""\n"Language: ko\\n"\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
    path.write_text(header + entries, encoding="utf-8")
    return path


def test_the_catalogue_check_names_missing_fuzzy_misplaced_and_left_over_translations(tmp_path):
    wanted = {
        "Hello {name}": [("a.py", 1)],
        "Missing": [("a.py", 2)],
        "Fuzzy": [("a.py", 3)],
        "Good {count}": [("a.py", 4)],
    }
    write_catalogue(
        tmp_path,
        'msgid "Hello {name}"\nmsgstr "안녕 {nmae}"\n\n'
        '#, fuzzy\nmsgid "Fuzzy"\nmsgstr "흐림"\n\n'
        'msgid "Good {count}"\nmsgstr "{count}개 좋음"\n\n'
        'msgid "Gone"\nmsgstr "사라짐"\n\n'
        '#~ msgid "Older"\n#~ msgstr "예전"\n',
    )
    problems = "\n".join(catalogue_problems(tmp_path, wanted))
    assert "no ko translation of 'Missing'" in problems
    assert "translation of 'Fuzzy' is fuzzy" in problems
    assert "'Hello {name}' has placeholders ['nmae'], the English ['name']" in problems
    assert "no longer has: 'Gone'" in problems and "no longer has: 'Older'" in problems
    assert "katakit.mo is missing or older than its .po" in problems
    assert "Good" not in problems


def test_katas_check_fails_on_an_untranslated_sentence(tmp_path):
    root = copy_course(tmp_path / "course", with_tools=True)
    shutil.copy(ROOT / "babel.cfg", root / "babel.cfg")
    (root / "katakit" / "plugin.py").write_text(
        (root / "katakit" / "plugin.py").read_text() + '\n\nSAID = _("A sentence nobody translated")\n'
    )
    problems = catalogue_problems(root)
    assert any("no ko translation of 'A sentence nobody translated'" in problem for problem in problems), problems


@pytest.fixture(scope="module")
def korean_course(tmp_path_factory) -> Path:
    """A course copy whose first kata is solved, the others untouched."""
    root = copy_course(tmp_path_factory.mktemp("course"), with_tools=True)
    first = COURSE.katas[0]
    shutil.copy(root / "solutions" / first.file, root / "katas" / first.file)
    return root


def run(root: Path, *command: str, **environment: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", *command],
        cwd=root,
        env=learner_env(KATAS_HYPOTHESIS_PROFILE="dev", **environment),
        capture_output=True,
        text=True,
        timeout=600,
    )
    return done.stdout + done.stderr


def summary_of(output: str) -> list[str]:
    """The course's summary: from its header on, less pytest's own closing line of counts."""
    lines = output.splitlines()
    start = next(index for index, line in enumerate(lines) if "=====" in line and HANGUL.search(line))
    return [line for line in lines[start:] if not PYTESTS_OWN.search(line)]


@pytest.mark.parametrize("switch", ["KATAS_LANG", "LANG", "--katas-lang"])
def test_the_learners_pytest_speaks_korean_in_its_summary(korean_course, switch):
    environment = (
        {"KATAS_LANG": "ko"} if switch == "KATAS_LANG" else {"LANG": "ko_KR.UTF-8"} if switch == "LANG" else {}
    )
    options = ["--katas-lang=ko"] if switch == "--katas-lang" else []
    output = run(korean_course, "pytest", "-q", "-p", "no:cacheprovider", *options, **environment)
    summary = summary_of(output)
    assert len(summary) > 15, output[-3000:]
    left = {line: english_left(line) for line in summary if english_left(line)}
    assert not left, "English left in the Korean summary:\n" + "\n".join(f"{k}  <- {v}" for k, v in left.items())


def test_the_progress_table_lines_up_in_korean(korean_course):
    table = summary_of(run(korean_course, "pytest", "-q", "-p", "no:cacheprovider", KATAS_LANG="ko"))
    rows = [line for line in table if re.match(r"\s?\d+\. ", line)]
    assert len(rows) == len(COURSE.katas)
    starts = {columns(row[: row.index(next(word for word in row.split()[2:]))]) for row in rows}
    assert len(starts) == 1, rows  # the status column starts at one column on every row


@pytest.mark.parametrize("command", [("hint", "pipeline"), ("next",), ("list",)])
def test_the_katas_commands_speak_korean(korean_course, command):
    output = run(korean_course, "katakit.cli", *command, KATAS_LANG="ko")
    lines = [line for line in output.splitlines() if line.strip()]
    if command[0] == "next":  # its own lines and the summary: the lines of the tests' run are pytest's own
        lines = [line for line in lines if line.startswith("katas")] + summary_of(output)
    assert any(HANGUL.search(line) for line in lines), output[-3000:]
    left = {line: english_left(line) for line in lines if english_left(line)}
    assert not left, "English left:\n" + "\n".join(f"{k}  <- {v}" for k, v in left.items())


def test_katas_lang_rewrites_untouched_stubs_only_and_back(tmp_path):
    root = copy_course(tmp_path / "course", with_tools=True)
    first, second = COURSE.katas[:2]
    solved = (root / "solutions" / first.file).read_text()
    (root / "katas" / first.file).write_text(solved)
    english = (root / "katas" / second.file).read_text()
    output = run(root, "katakit.cli", "lang", "ko", KATAS_LANG="ko")
    korean = (root / "katas" / second.file).read_text()
    assert HANGUL.search(korean) and "# TODO:" in korean, output
    assert _code_of(korean) == _code_of(english)
    assert (root / "katas" / first.file).read_text() == solved, "a kata holding work must be left as it is"
    assert first.file in output and not english_left(output.splitlines()[0]), output
    run(root, "katakit.cli", "lang", "en")
    assert (root / "katas" / second.file).read_text() == english
    assert (root / "katas" / first.file).read_text() == solved


def test_release_in_korean_writes_korean_stubs_and_notebooks_with_the_same_code(tmp_path):
    from katakit.notebooks.cells import kata_code
    from katakit.release import release

    out = tmp_path / "student"
    release(ROOT, out, language="ko")
    for kata in COURSE.katas:
        english = (ROOT / "katas" / kata.file).read_text()
        korean = (out / "katas" / kata.file).read_text()
        assert HANGUL.search(korean) and _code_of(korean) == _code_of(english), kata.file
        notebook = json.loads((out / "notebooks" / f"{Path(kata.file).stem}.ipynb").read_text())
        assert kata_code(notebook) == korean
        assert HANGUL.search(notebook["cells"][0]["source"][0]), notebook["cells"][0]["source"][0]
    assert (out / "katakit" / "pristine" / COURSE.katas[0].file).read_text() == (
        ROOT / "katas" / COURSE.katas[0].file
    ).read_text()


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (lambda text: text.replace("raise NotImplementedError", "return None", 1), "its code differs"),
        (lambda text: text.replace("# TODO:", "# 할 일:"), "has no `# TODO:`"),
        (lambda text: text.replace('"""1. ', '"""', 1), "its docstrings number tasks"),
    ],
)
def test_katas_check_names_a_translated_stub_that_is_not_the_english_one_translated(monkeypatch, change, said):
    import katakit.stub_prose
    from katakit.course_check import translated_stub_violations

    kata = COURSE.katas[0]
    original = katakit.stub_prose.stub_in
    assert translated_stub_violations(ROOT, kata) == []
    monkeypatch.setattr(
        katakit.stub_prose, "stub_in", lambda root, kata, language: change(original(root, kata, language))
    )
    problems = [str(violation) for violation in translated_stub_violations(ROOT, kata)]
    assert any(said in problem for problem in problems), problems


# A wrong solution per kata whose tests' own messages are translated: what a learner reads of each failure.
WRONG = {
    "pipeline": ["2_sampling_left_on", "1_wrong_task_name", "3_joined_with_a_space"],
    "tokenizer_generate": ["2_lists_not_tensors", "3_no_attention_mask", "3_special_tokens_kept"],
    "logits": ["1_left_in_training_mode", "2_softmax_over_positions", "4_loss_without_shifting"],
    "generation": ["1_do_sample_missing", "3_ended_by_counting_tokens", "4_right_padding"],
    "embeddings": ["1_mean_counts_padding", "3_normalised_in_place", "4_least_similar_first"],
    "automodel_features": ["1_masked_lm_head", "3_no_attention_mask", "4_stacked_into_one_tensor"],
    "tokenizers": ["1_ids_as_a_tensor", "2_lists_not_tensors", "3_pairs_as_lists"],
    "token_classification": ["1_label_ids_not_names", "2_raw_logit_for_score", "3_best_score_not_mean"],
    "fill_mask": ["1_word_indices", "2_softmax_over_positions", "3_one_mask_at_a_time"],
    "feature_extraction": ["1_wrong_task_name", "2_nested_lists", "3_padded_batch"],
    "sequence_classification": ["1_labels_given_at_load", "2_no_attention_mask", "3_id2label_ignored"],
    "image_classification": ["1_pair_swapped", "3_id2label_ignored", "4_least_likely_first"],
    "configs": ["1_hidden_size_literal", "2_default_config", "3_tokenizer_not_saved"],
    "chat_streaming": ["1_no_generation_prompt", "2_tokenized_rendered_text", "3_sampling_left_on"],
    "many_architectures": ["1_config_model_type", "2_hard_coded_example_sizes", "3_prompt_length_without_bos"],
}


@pytest.mark.parametrize("kata_name", list(WRONG))
def test_a_wrong_solutions_failures_read_in_korean(kata_name, tmp_path):
    kata = COURSE.kata_named(kata_name)
    folder = tmp_path / "katas"
    folder.mkdir()
    mistakes = [(ROOT / "mutants" / kata_name / f"{name}.py").read_text() for name in WRONG[kata_name]]
    (folder / kata.file).write_text("\n\n".join([(ROOT / "solutions" / kata.file).read_text(), *mistakes]))
    report = tmp_path / "report.json"
    run(
        ROOT,
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        kata.test_file,
        f"--katas-dir={folder}",
        f"--katas-report={report}",
        KATAS_LANG="ko",
    )
    messages = [
        result["message"] for result in json.loads(report.read_text())["results"] if result["outcome"] == "failed"
    ]
    assert messages, f"the wrong solution of {kata_name} should fail"
    left = {line: english_left(line) for message in messages for line in message.splitlines() if english_left(line)}
    assert not left, "English left in the failures:\n" + "\n".join(f"{k}  <- {v}" for k, v in left.items())
