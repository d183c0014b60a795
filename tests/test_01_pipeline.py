"""Kata 1, pipeline: the learner's pipeline output equals tokenizer + greedy `generate` + decode."""

import pytest
from hypothesis import example, given

from katakit.explain import call, mismatch, wrong_type
from katakit.reference import greedy_continuation, greedy_full_text, same_weights, varies_with_seed
from katakit.strategies import new_token_counts, prompts

task = pytest.mark.task
SAMPLING_ADVICE = ("The text-generation pipeline samples by default (do_sample=True, temperature 0.7): "
                   "did you pass do_sample=False?")


@task(1)
def test_build_generator_returns_a_text_generation_pipeline(kata, gpt2_dir):
    from transformers import TextGenerationPipeline

    generator = kata.build_generator(gpt2_dir)
    problem = wrong_type(generator, TextGenerationPipeline, call("build_generator", str(gpt2_dir)),
                         "Which task name does pipeline() take to generate text?")
    assert problem is None, problem


@task(1)
def test_build_generator_loads_the_model_saved_in_the_folder(kata, gpt2_dir, gpt2_reference):
    generator = kata.build_generator(gpt2_dir)
    message = (f"{call('build_generator', str(gpt2_dir))} gave a pipeline whose model has other weights "
               "than the one saved in the folder. Did you pass the folder as model=...?")
    assert same_weights(generator.model, gpt2_reference.model), message


@task(2)
@given(prompt=prompts(), max_new_tokens=new_token_counts())
@example(prompt="Hello world", max_new_tokens=12)
def test_continue_text_equals_greedy_generate_without_the_prompt(kata, gpt2_generator, gpt2_reference,
                                                                 prompt, max_new_tokens):
    called = call("continue_text", gpt2_generator, prompt, max_new_tokens)
    got = kata.continue_text(gpt2_generator, prompt, max_new_tokens)
    problem = wrong_type(got, str, called, "The pipeline returns a list of dicts: which key holds the text?")
    assert problem is None, problem
    expected = greedy_continuation(gpt2_reference, prompt, max_new_tokens)
    message = mismatch(called, got, expected,
                       "Expected: the new text of tokenizer -> generate(do_sample=False) -> decode, "
                       "without the prompt. " + SAMPLING_ADVICE + " Did you pass return_full_text=False?")
    assert got == expected, message


@task(3)
@given(prompt=prompts(), max_new_tokens=new_token_counts())
@example(prompt="Hello world", max_new_tokens=12)
def test_complete_text_equals_the_prompt_and_its_greedy_continuation(kata, gpt2_generator, gpt2_reference,
                                                                     prompt, max_new_tokens):
    called = call("complete_text", gpt2_generator, prompt, max_new_tokens)
    got = kata.complete_text(gpt2_generator, prompt, max_new_tokens)
    problem = wrong_type(got, str, called, "The pipeline returns a list of dicts: which key holds the text?")
    assert problem is None, problem
    expected = greedy_full_text(gpt2_reference, prompt, max_new_tokens)
    message = mismatch(called, got, expected,
                       "Expected: the prompt followed by its greedy continuation. " + SAMPLING_ADVICE)
    assert got == expected, message


@pytest.mark.parametrize("function", [pytest.param("continue_text", marks=task(2)),
                                      pytest.param("complete_text", marks=task(3))])
def test_generated_text_does_not_depend_on_the_random_seed(kata, gpt2_generator, function):
    generate = getattr(kata, function)
    message = (f"{function}(generator, 'zq', 16) gave different texts under different torch.manual_seed "
               f"values: it samples. {SAMPLING_ADVICE}")
    assert not varies_with_seed(lambda: generate(gpt2_generator, "zq", 16)), message
