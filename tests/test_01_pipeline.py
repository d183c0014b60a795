"""Kata 1, pipeline: the learner's pipeline output equals tokenizer + greedy `generate` + decode, on both causal LMs
of the zoo (GPT-2-style, and Llama-style: a begin-of-text token, two end ids, a generation config that samples)."""

import pytest
import torch
from hypothesis import example, given

from katakit.explain import call, loaded_model_problem, mismatch, wrong_type
from katakit.i18n import N_, _
from katakit.reference import greedy_continuation, greedy_ids, varies_with_seed
from katakit.strategies import new_token_counts, prompts
from katakit.unchanged import keep, keep_generation_config

task = pytest.mark.task
SAMPLING_ADVICE = N_(
    "The text-generation pipeline samples by default (do_sample=True, temperature 0.7): did you pass do_sample=False?"
)
# The chat model answers this question and ends its turn with <|end|>, one of its two end ids.
QUESTION = "Who are you?"
# Text that spells special tokens: the tokenizers read them as the tokens themselves, decoding drops them.
SPELLS_SPECIAL_TOKENS = "<|endoftext|>Hello<|end|> world"


def built_options(generator) -> dict:
    """What a pipeline carries from the moment it was built into every call: the options given to pipeline(...),
    held in its generation config or its parameter dicts (where depends on the transformers version)."""
    config = getattr(generator, "generation_config", None)
    return {
        "generation config": config.to_diff_dict() if config is not None else {},
        "generation options": dict(getattr(generator, "_generate_kwargs", None) or {}),
        "preprocessing options": dict(getattr(generator, "_preprocess_params", {})),
        "generate options": dict(getattr(generator, "_forward_params", {})),
        "postprocessing options": dict(getattr(generator, "_postprocess_params", {})),
    }


def built(kata, folder):
    from transformers import TextGenerationPipeline

    called = call("build_generator", str(folder))
    generator = kata.build_generator(folder)
    problem = wrong_type(
        generator, TextGenerationPipeline, called, _("Which task name does pipeline() take to generate text?")
    )
    assert problem is None, problem
    return called, generator


@task(1)
def test_build_generator_returns_a_text_generation_pipeline(kata, causal_lm_dir):
    built(kata, causal_lm_dir)


@task(1)
def test_build_generator_loads_the_model_saved_in_the_folder_ready_for_inference(
    kata, causal_lm_dir, causal_lm_reference
):
    called, generator = built(kata, causal_lm_dir)
    reference_model = causal_lm_reference.model
    model_dtype = next(generator.model.parameters()).dtype
    expected_dtype = next(reference_model.parameters()).dtype
    assert model_dtype == expected_dtype, _(
        "{call} gave a pipeline whose model holds {dtype} weights; the folder holds {saved_dtype}. "
        "Load the model as it was saved: no dtype=... when you build the pipeline.",
        call=called,
        dtype=model_dtype,
        saved_dtype=expected_dtype,
    )
    problem = loaded_model_problem(
        generator.model, reference_model, called, _("the folder's causal LM. Did you pass the folder as model=...?")
    )
    assert problem is None, problem
    assert generator.model.generation_config == reference_model.generation_config, mismatch(
        f"{called}.model.generation_config",
        generator.model.generation_config.to_diff_dict(),
        reference_model.generation_config.to_diff_dict(),
        _(
            "The model's generation config is not the one saved in the folder. Greedy decoding is asked for in each "
            "call (tasks 2 and 3), not by changing the model's generation_config."
        ),
    )
    text = "Hello world"
    got, expected = generator.tokenizer(text)["input_ids"], causal_lm_reference.tokenizer(text)["input_ids"]
    assert got == expected, mismatch(
        f"{called}.tokenizer({text!r})['input_ids']",
        got,
        expected,
        _("The pipeline's tokenizer is not the folder's: let pipeline() load it from the same folder."),
    )


@task(1)
def test_build_generator_bakes_no_options_into_the_pipeline(kata, causal_lm_dir, causal_lm_reference_generator):
    called, generator = built(kata, causal_lm_dir)
    got, expected = built_options(generator), built_options(causal_lm_reference_generator)
    for kind, options in expected.items():
        extra = {key: value for key, value in got[kind].items() if options.get(key, object()) != value}
        message = _(
            "{call} built a pipeline that carries {kind} {extra} into every call; "
            "pipeline('text-generation', model=folder) carries {expected}. Build the default "
            "pipeline of the task: the options of a generation (do_sample, max_new_tokens, "
            "return_full_text, ...) belong to each call, where tasks 2 and 3 pass them.",
            call=called,
            kind=kind,
            extra=extra,
            expected=options or _("none"),
        )
        assert got[kind] == options, message


@task(1)
def test_build_generator_samples_like_the_default_pipeline(
    kata, causal_lm_dir, causal_lm_reference_generator, causal_lm_unknown_prompt
):
    called, generator, prompt = *built(kata, causal_lm_dir), causal_lm_unknown_prompt
    for seed in range(3):
        torch.manual_seed(seed)
        got = generator(prompt, max_new_tokens=8)[0]["generated_text"]
        torch.manual_seed(seed)
        expected = causal_lm_reference_generator(prompt, max_new_tokens=8)[0]["generated_text"]
        assert got == expected, mismatch(
            f"torch.manual_seed({seed}); {called}({prompt!r}, max_new_tokens=8)",
            got,
            expected,
            _(
                "Expected what the default text-generation pipeline gives under the same seed: it samples unless a "
                "call asks otherwise. Did you pass generation options (do_sample=False, ...) to pipeline(...)?"
            ),
        )


def check_text(called: str, got) -> None:
    problem = wrong_type(got, str, called, _("The pipeline returns a list of dicts: which key holds the text?"))
    assert problem is None, problem


@task(2)
@given(prompt=prompts(), max_new_tokens=new_token_counts())
@example(prompt="Hello world", max_new_tokens=12)
def test_continue_text_equals_greedy_generate_without_the_prompt(
    kata, causal_lm_generator, causal_lm_reference, prompt, max_new_tokens
):
    check_continue_text(kata, causal_lm_generator, causal_lm_reference, prompt, max_new_tokens)


def check_continue_text(kata, causal_lm_generator, causal_lm_reference, prompt, max_new_tokens):
    called = call("continue_text", causal_lm_generator, prompt, max_new_tokens)
    got = kata.continue_text(causal_lm_generator, prompt, max_new_tokens)
    check_text(called, got)
    expected = greedy_continuation(causal_lm_reference, prompt, max_new_tokens)
    advice = _(
        "Expected: the new text of tokenizer -> generate(do_sample=False) -> decode, without the prompt. "
        "{sampling_advice} Did you pass return_full_text=False?",
        sampling_advice=_(SAMPLING_ADVICE),
    )
    if got.strip() == expected.strip() and got != expected:
        advice = _(
            "Your text differs from the continuation only in the spaces around it: return the new text "
            "as the pipeline gives it, without strip()."
        )
    assert got == expected, mismatch(called, got, expected, advice)


@task(3)
@given(prompt=prompts(), max_new_tokens=new_token_counts())
@example(prompt="Hello world", max_new_tokens=12)
def test_complete_text_equals_the_prompt_and_its_greedy_continuation(
    kata, causal_lm_generator, causal_lm_reference, prompt, max_new_tokens
):
    check_complete_text(kata, causal_lm_generator, causal_lm_reference, prompt, max_new_tokens)


def check_complete_text(kata, causal_lm_generator, causal_lm_reference, prompt, max_new_tokens):
    called = call("complete_text", causal_lm_generator, prompt, max_new_tokens)
    got = kata.complete_text(causal_lm_generator, prompt, max_new_tokens)
    check_text(called, got)
    assert got.startswith(prompt), mismatch(
        called,
        got,
        _("{prompt} + its continuation", prompt=repr(prompt)),
        _(
            "The result must start with the prompt exactly as given: return_full_text=True puts the prompt string in "
            "front of the new text. Decoding every id instead drops the special tokens the prompt spells."
        ),
    )
    expected = prompt + greedy_continuation(causal_lm_reference, prompt, max_new_tokens)
    advice = _(
        "Expected: the prompt followed by its greedy continuation. {sampling_advice}",
        sampling_advice=_(SAMPLING_ADVICE),
    )
    if got.startswith(prompt + prompt):
        advice = _("Your text holds the prompt twice: the pipeline's full text already starts with it.")
    assert got == expected, mismatch(called, got, expected, advice)


# Prompts that separate near-misses, one call each (a test of its own keeps each under the time limit).
NEAR_MISSES = [
    pytest.param("Hello", 6, id="continuation-starts-with-a-space"),
    pytest.param("Hello world, this is a tiny", 4, id="continuation-starts-with-letters-of-the-prompt"),
    pytest.param(QUESTION, 16, id="chat-model-ends-its-turn"),
    pytest.param(SPELLS_SPECIAL_TOKENS, 8, id="prompt-spells-special-tokens"),
]


@task(2)
@pytest.mark.parametrize(("prompt", "max_new_tokens"), NEAR_MISSES)
def test_continue_text_equals_greedy_generate_on_prompts_that_separate_near_misses(
    kata, causal_lm_generator, causal_lm_reference, prompt, max_new_tokens
):
    check_continue_text(kata, causal_lm_generator, causal_lm_reference, prompt, max_new_tokens)


@task(3)
@pytest.mark.parametrize(("prompt", "max_new_tokens"), NEAR_MISSES)
def test_complete_text_equals_the_prompt_and_its_continuation_on_prompts_that_separate_near_misses(
    kata, causal_lm_generator, causal_lm_reference, prompt, max_new_tokens
):
    check_complete_text(kata, causal_lm_generator, causal_lm_reference, prompt, max_new_tokens)


@pytest.mark.parametrize(
    "function", [pytest.param("continue_text", marks=task(2)), pytest.param("complete_text", marks=task(3))]
)
def test_generated_text_does_not_depend_on_the_random_seed(
    kata, causal_lm_generator, causal_lm_unknown_prompt, function
):
    generate, prompt = getattr(kata, function), causal_lm_unknown_prompt
    message = _(
        "{function}(generator, {prompt}, 16) gave different texts under different "
        "torch.manual_seed values: it samples. {sampling_advice}",
        function=function,
        prompt=repr(prompt),
        sampling_advice=_(SAMPLING_ADVICE),
    )
    assert not varies_with_seed(lambda: generate(causal_lm_generator, prompt, 16)), message


@pytest.mark.parametrize(
    "function", [pytest.param("continue_text", marks=task(2)), pytest.param("complete_text", marks=task(3))]
)
def test_generated_text_stops_at_either_end_id_of_the_model(kata, causal_lm_generator, causal_lm_reference, function):
    prompt, max_new_tokens = QUESTION, 24
    new_ids = greedy_ids(causal_lm_reference, prompt, max_new_tokens)[0].tolist()[
        len(causal_lm_reference.tokenizer(prompt)["input_ids"]) :
    ]
    called = call(function, causal_lm_generator, prompt, max_new_tokens)
    got = getattr(kata, function)(causal_lm_generator, prompt, max_new_tokens)
    check_text(called, got)
    continuation = greedy_continuation(causal_lm_reference, prompt, max_new_tokens)
    expected = continuation if function == "continue_text" else prompt + continuation
    end_ids = causal_lm_reference.model.generation_config.eos_token_id
    assert got == expected, mismatch(
        called,
        got,
        expected,
        _(
            "The model's generation config ends a generation at any of {end_ids}; greedy generate stopped after "
            "{count} new tokens. Did you pass eos_token_id or other options that replace the model's own?",
            end_ids=end_ids,
            count=len(new_ids),
        ),
    )


@pytest.mark.parametrize(
    "function", [pytest.param("continue_text", marks=task(2)), pytest.param("complete_text", marks=task(3))]
)
def test_generated_text_leaves_the_pipelines_model_alone(kata, causal_lm_generator, function):
    model = causal_lm_generator.model
    kept, kept_config = keep(model=model), keep_generation_config(model)
    called = call(function, causal_lm_generator, "Hello world", 8)
    getattr(kata, function)(causal_lm_generator, "Hello world", 8)
    for problem in (kept.changed(called), kept_config.changed(called)):
        assert problem is None, problem
