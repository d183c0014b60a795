"""Kata 2, tokenizer + generate: by hand, the learner gets exactly what the greedy pipeline gives."""

import pytest
from hypothesis import example, given

from katakit.explain import call, loaded_model_problem, mismatch, tensor_problem, wrong_type
from katakit.fixtures import text_generator
from katakit.reference import greedy_ids, varies_with_seed
from katakit.spy import record_calls
from katakit.strategies import new_token_counts, prompts

task = pytest.mark.task
UNKNOWN_PROMPT = "zq"  # not in the corpus: the model's next-token distribution is broad there


def loaded_pair(kata, folder):
    called = call("load_tokenizer_and_model", str(folder))
    pair = kata.load_tokenizer_and_model(folder)
    message = wrong_type(pair, tuple, called, "Return the two objects as a pair: (tokenizer, model).")
    assert message is None and len(pair) == 2, message or f"{called} returned {len(pair)} items; expected 2."
    return called, pair


@task(1)
@given(text=prompts())
@example(text="안녕하세요, 작은 언어 모델입니다. 🤗")
def test_loaded_tokenizer_encodes_like_the_saved_one(kata, gpt2_dir, gpt2_reference, text):
    called, (tokenizer, _) = loaded_pair(kata, gpt2_dir)
    got = tokenizer(text)["input_ids"]
    expected = gpt2_reference.tokenizer(text)["input_ids"]
    assert got == expected, mismatch(f"tokenizer({text!r}) after {called}", got, expected,
                                     "Did you load the tokenizer from the same folder with AutoTokenizer?")


@task(1)
def test_loaded_model_is_the_saved_causal_lm_ready_for_inference(kata, gpt2_dir, gpt2_reference):
    called, (_, model) = loaded_pair(kata, gpt2_dir)
    problem = loaded_model_problem(model, gpt2_reference.model, called,
                                   "the model with a language-modelling head. Which Auto class adds that head?")
    assert problem is None, problem


@task(2)
@given(prompt=prompts())
@example(prompt="Hello world")
def test_encode_prompt_gives_tensors_of_ids_and_attention_mask(kata, gpt2, gpt2_reference, prompt):
    called = call("encode_prompt", gpt2.tokenizer, prompt)
    encoding = kata.encode_prompt(gpt2.tokenizer, prompt)
    expected = gpt2_reference.tokenizer(prompt, return_tensors="pt")
    for field in ("input_ids", "attention_mask"):
        assert field in encoding, f"{called} has no {field!r}: return the tokenizer's whole output."
        problem = tensor_problem(encoding[field], expected[field], f"{called}[{field!r}]",
                                 "(batch of 1, number of tokens)",
                                 'Lists are not tensors: did you pass return_tensors="pt"?')
        assert problem is None, problem


@task(3)
@given(prompt=prompts(), max_new_tokens=new_token_counts())
@example(prompt="Hello world", max_new_tokens=12)
def test_generate_text_equals_the_greedy_pipeline(kata, gpt2, gpt2_reference_generator, prompt, max_new_tokens):
    called = call("generate_text", gpt2.tokenizer, gpt2.model, prompt, max_new_tokens)
    got = kata.generate_text(gpt2.tokenizer, gpt2.model, prompt, max_new_tokens)
    problem = wrong_type(got, str, called, "Decode the ids into a string with tokenizer.decode.")
    assert problem is None, problem
    expected = gpt2_reference_generator(prompt, do_sample=False, max_new_tokens=max_new_tokens)[0]["generated_text"]
    message = mismatch(called, got, expected,
                       "Expected what pipeline(prompt, do_sample=False, max_new_tokens=...) returns. "
                       "Did you decode the first sequence with skip_special_tokens=True, and limit max_new_tokens?")
    assert got == expected, message


@task(3)
def test_generate_text_leaves_out_the_end_of_text_token(kata, gpt2, gpt2_reference):
    prompt = "Hello world"  # the model ends this corpus line with <|endoftext|> within 20 tokens
    new_ids = greedy_ids(gpt2_reference, prompt, 20)[0].tolist()
    assert gpt2_reference.tokenizer.eos_token_id in new_ids, "the zoo model no longer ends its corpus lines"
    got = kata.generate_text(gpt2.tokenizer, gpt2.model, prompt, 20)
    eos = gpt2_reference.tokenizer.eos_token
    message = (f"{call('generate_text', gpt2.tokenizer, gpt2.model, prompt, 20)} returned {got!r}, which holds "
               f"{eos}. The pipeline drops special tokens when it decodes: did you pass skip_special_tokens=True?")
    assert eos not in got, message


@task(3)
def test_generate_text_passes_the_attention_mask_to_generate(kata, gpt2):
    calls = record_calls(gpt2.model, "generate")
    kata.generate_text(gpt2.tokenizer, gpt2.model, "Hello world", 4)
    assert calls, "generate_text(...) never called model.generate: the task is to generate with the model itself."
    kwargs = calls[-1]["kwargs"]
    message = (f"model.generate was called with {sorted(kwargs)} but no attention_mask. Pass the whole "
               "tokenizer output (model.generate(**inputs, ...)): without the mask, generate cannot tell "
               "padding from text.")
    assert kwargs.get("attention_mask") is not None, message


@task(4)
@pytest.mark.parametrize("pipeline_options", [{}, {"do_sample": False}], ids=["defaults", "built-greedy"])
def test_pipeline_samples_by_default_matches_the_experiment(kata, gpt2_dir, pipeline_options):
    learner_generator = text_generator(gpt2_dir, **pipeline_options)
    reference_generator = text_generator(gpt2_dir, **pipeline_options)
    got = kata.pipeline_samples_by_default(learner_generator, UNKNOWN_PROMPT)
    expected = varies_with_seed(lambda: reference_generator(UNKNOWN_PROMPT, max_new_tokens=20)[0]["generated_text"])
    called = call("pipeline_samples_by_default", f"pipeline('text-generation', {pipeline_options})", UNKNOWN_PROMPT)
    problem = wrong_type(got, bool, called)
    assert problem is None, problem
    message = (f"{called} returned {got}; the pipeline {'does' if expected else 'does not'} sample. "
               "Did you run it under several torch.manual_seed values and compare the texts? "
               "The model's own generation_config is not what the pipeline uses by default.")
    assert got == expected, message
