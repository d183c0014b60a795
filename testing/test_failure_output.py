"""What the learner reads for each failing test: one short block with the teaching message once, and nothing
from inside pytest or hypothesis, whatever the kata returns or prints; `--tb=long` still shows it all."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from course_runs import ROOT, learner_env

from katakit.manifest import load_course

COURSE = load_course(ROOT)
MAX_LINES = 40
# Lines that only pytest's or hypothesis' own account of a failure has.
FOREIGN = (
    "site-packages",
    "hypothesis/core.py",
    "^^^^",
    "Explanation:",
    "Failing test case",
    "(note:",
    "+  where",
    "@given(",
    "assert ",
    "Traceback",
    "These lines were",
)


def solution(name: str) -> str:
    return (ROOT / "solutions" / COURSE.kata_named(name).file).read_text()


def mutant(name: str, mistake: str) -> str:
    return solution(name) + "\n\n" + (ROOT / "mutants" / name / f"{mistake}.py").read_text()


FAULTY_KATAS = {
    "pipeline": mutant("pipeline", "2_sampling_left_on"),
    "tokenizer_generate": mutant("tokenizer_generate", "3_no_attention_mask"),
    "generation": mutant("generation", "4_right_padding"),
    "tokenizers": (ROOT / "katas" / COURSE.kata_named("tokenizers").file).read_text(),  # the stub
    # A 10 M-element tensor where the statement promises a tensor of the hidden size.
    "automodel_features": solution("automodel_features")
    + ("\n\ndef embed_text(tokenizer, model, text):\n    import torch\n    return torch.zeros(1, 10_000_000)\n"),
    # Task 1 wrong: task 4 (ranking) calls it, and must say to fix task 1 first.
    "embeddings": mutant("embeddings", "1_mask_not_passed_to_model"),
    # 10 MB printed, then an exception.
    "sequence_classification": solution("sequence_classification")
    + ("\n\ndef classify(tokenizer, model, text):\n    print('x' * 10_000_000)\n    raise ValueError('no label')\n"),
}


@pytest.fixture(scope="module")
def faulty_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("katas")
    for name, source in FAULTY_KATAS.items():
        (folder / COURSE.kata_named(name).file).write_text(source)
    return folder


def learner_pytest(folder, *options: str) -> str:
    files = [COURSE.kata_named(name).test_file for name in FAULTY_KATAS]
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", f"--katas-dir={folder}", *options, *files],
        cwd=ROOT,
        env=learner_env(),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 1, run.stdout[-3000:]
    return run.stdout


def failure_blocks(output: str) -> dict[str, list[str]]:
    """Each failing test's block of pytest's FAILURES section, by the test's name in its header line."""
    section = output.split(" FAILURES ", 1)[1].split(" transformers-katas: your progress ", 1)[0]
    blocks, name = {}, None
    for line in section.splitlines()[1:]:
        header = re.fullmatch(r"_+ (test_\S+) _+", line)
        if header:
            name = header.group(1)
            blocks[name] = []
        elif name is not None:
            blocks[name].append(line)
    return blocks


@pytest.fixture(scope="module")
def learner_output(faulty_folder):
    return learner_pytest(faulty_folder)


def test_each_failing_test_is_one_short_block_with_its_message_once(learner_output):
    blocks = failure_blocks(learner_output)
    for name in FAULTY_KATAS:  # every faulty kata has failures to show
        assert (
            any(
                COURSE.kata_named(name).test_file in line
                for line in learner_output.splitlines()
                if line.startswith(("FAILED", "NOT STARTED"))
            )
            or name == "tokenizers"
        ), name
    assert len(blocks) >= len(FAULTY_KATAS) - 1, list(blocks)
    for name, lines in blocks.items():
        text = "\n".join(lines)
        assert len(lines) <= MAX_LINES and len(text) <= 4096, f"{name}: {len(lines)} lines\n{text[:3000]}"
        foreign = [line for line in lines if any(mark in line for mark in FOREIGN)]
        assert not foreign, f"{name}: lines from pytest's or hypothesis' own account:\n{text}"
        message = next(line for line in lines if line.strip() and not line.startswith("-"))
        assert text.count(message.strip()) == 1, f"{name}: the message is there more than once:\n{text}"
        assert re.search(r"\(kata \w+, task \d\)", text), f"{name}: the block does not name its task:\n{text}"


def test_what_a_kata_returns_or_prints_is_cut_and_says_so(learner_output):
    blocks = failure_blocks(learner_output)
    huge = [lines for name, lines in blocks.items() if name.startswith(("test_embed_text", "test_classify"))]
    assert huge, list(blocks)
    assert len(learner_output) < 200_000, f"{len(learner_output)} characters on the learner's screen"
    assert any("more characters cut" in "\n".join(lines) for lines in huge)


def test_the_example_drawn_by_hypothesis_is_shown_by_its_inputs_names(learner_output):
    blocks = failure_blocks(learner_output)
    drawn = [lines for lines in blocks.values() if any(line.startswith("Example: ") for line in lines)]
    assert drawn, "no block shows the example hypothesis drew"
    for lines in drawn:
        example = next(line for line in lines if line.startswith("Example: "))
        assert "kata=" not in example and "causal_lm" not in example and "=" in example, example


def test_tb_long_still_shows_pytests_whole_account(faulty_folder):
    output = learner_pytest(faulty_folder, "--tb=long", "-k", "continue_text")
    assert "Traceback" in output or "def test_" in output


def test_a_task_that_uses_a_failing_earlier_task_says_to_fix_that_first(learner_output):
    blocks = failure_blocks(learner_output)
    ranking = [lines for name, lines in blocks.items() if name.startswith(("test_rank_documents", "test_a_document"))]
    assert ranking, list(blocks)
    for lines in ranking:
        assert "Task 1 of this kata fails too, and this task uses its `mean_pool`: fix task 1 first" in "\n".join(
            lines
        ), "\n".join(lines)
    pooling = [lines for name, lines in blocks.items() if name.startswith("test_mean_pool")]
    assert pooling and not any("fails too" in "\n".join(lines) for lines in pooling)


def test_drawn_prompts_are_text_a_learner_can_read():
    import unicodedata

    from hypothesis import given, settings

    from katakit.strategies import prompts, text_batches

    @settings(max_examples=300, database=None, deadline=None)
    @given(prompts(), text_batches())
    def readable(prompt, batch):
        for text in (prompt, *batch):
            odd = [char for char in text if not char.isprintable() or unicodedata.category(char)[0] not in "LNPSZ"]
            assert not odd, f"{text!r} holds {odd}"

    readable()
