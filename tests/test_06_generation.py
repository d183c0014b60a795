"""Kata 6, generation strategies: configs, seeded sampling, scores, stopping and left-padded batches."""

import pytest
import torch
from hypothesis import example, given, note

from katakit.explain import call, mismatch, tensor_problem, wrong_type
from katakit.reference import (
    allowed_by_top_k_top_p,
    greedy_continuation,
    greedy_ids,
    next_token_logits_at_each_step,
    sampled,
)
from katakit.strategies import few_new_token_counts, new_token_counts, prompts, seeds, text_batches, top_ks, top_ps

task = pytest.mark.task
UNKNOWN_PROMPT = "zq"  # not in the corpus: the model's next-token distribution is broad there
CONFIG_FIELDS = ("do_sample", "max_new_tokens", "top_k", "top_p")


def reference_config(max_new_tokens=6, top_k=50, top_p=1.0):
    from transformers import GenerationConfig

    return GenerationConfig(do_sample=True, max_new_tokens=max_new_tokens, top_k=top_k, top_p=top_p)


def config_repr(config) -> str:
    return f"GenerationConfig({', '.join(f'{name}={getattr(config, name)!r}' for name in CONFIG_FIELDS)})"


def new_ids_of(tokenizer, prompt, sequences):
    return sequences[0, len(tokenizer(prompt)["input_ids"]):]


# Task 1: a GenerationConfig that samples.

@task(1)
@given(max_new_tokens=new_token_counts(), top_k=top_ks(), top_p=top_ps())
@example(max_new_tokens=8, top_k=5, top_p=0.9)
def test_sampling_config_holds_the_sampling_options(kata, max_new_tokens, top_k, top_p):
    from transformers import GenerationConfig

    called = call("sampling_config", max_new_tokens, top_k, top_p)
    got = kata.sampling_config(max_new_tokens, top_k, top_p)
    problem = wrong_type(got, GenerationConfig, called, "Build a transformers.GenerationConfig, not a dict of options.")
    assert problem is None, problem
    expected = reference_config(max_new_tokens, top_k, top_p)
    for name in CONFIG_FIELDS:
        message = (f"{called} has {name}={getattr(got, name)!r}; expected {getattr(expected, name)!r}. "
                   "Without do_sample=True generate() is greedy and ignores top_k and top_p; "
                   "max_new_tokens counts new tokens only (max_length would count the prompt too).")
        assert getattr(got, name) == getattr(expected, name), message


@task(1)
def test_generating_with_the_sampling_config_samples_like_the_library(kata, gpt2_reference):
    from transformers import GenerationConfig

    config = kata.sampling_config(6, 8, 0.9)
    problem = wrong_type(config, GenerationConfig, call("sampling_config", 6, 8, 0.9), "Build a GenerationConfig.")
    assert problem is None, problem
    expected_config = reference_config(6, 8, 0.9)
    for seed in range(2):
        got = sampled(gpt2_reference, UNKNOWN_PROMPT, config, seed).sequences
        expected = sampled(gpt2_reference, UNKNOWN_PROMPT, expected_config, seed).sequences
        message = (f"generate() with {call('sampling_config', 6, 8, 0.9)} under torch.manual_seed({seed}) gave "
                   f"ids {got.tolist()}; with {config_repr(expected_config)} it gives {expected.tolist()}. "
                   "Does your config set anything else (temperature, num_beams, ...)?")
        assert got.tolist() == expected.tolist(), message


# Task 2: seeded sampling, with the scores of every step.

def sample_output(kata, gpt2, prompt, config, seed):
    called = f"{call('sample', gpt2.tokenizer, gpt2.model, prompt, config, seed)} with {config_repr(config)}"
    output = kata.sample(gpt2.tokenizer, gpt2.model, prompt, config, seed)
    message = (f"{called} returned {type(output).__name__}; expected generate()'s dict output with `sequences` "
               "and `scores`. Which generate() options return a dict, and put the scores in it?")
    assert hasattr(output, "sequences") and hasattr(output, "scores"), message
    return called, output


@task(2)
@given(prompt=prompts(), seed=seeds(), top_k=top_ks(), top_p=top_ps(), max_new_tokens=few_new_token_counts())
@example(prompt=UNKNOWN_PROMPT, seed=1, top_k=12, top_p=1.0, max_new_tokens=6)
def test_sample_reproduces_the_library_under_the_same_seed_with_its_scores(kata, gpt2, gpt2_reference, prompt, seed,
                                                                           top_k, top_p, max_new_tokens):
    config = reference_config(max_new_tokens, top_k, top_p)
    called, got = sample_output(kata, gpt2, prompt, config, seed)
    expected = sampled(gpt2_reference, prompt, reference_config(max_new_tokens, top_k, top_p), seed)
    note(f"expected text: {gpt2_reference.tokenizer.decode(expected.sequences[0])!r}")
    message = mismatch(called + ".sequences", got.sequences.tolist(), expected.sequences.tolist(),
                       f"Expected generate(**inputs, generation_config=config) right after torch.manual_seed({seed}). "
                       "Did you seed torch just before generating, and pass the config itself (its top_k, top_p, "
                       "max_new_tokens) rather than options of your own?")
    assert got.sequences.tolist() == expected.sequences.tolist(), message
    assert_one_score_per_new_token(called, got.scores, expected.scores)


def assert_one_score_per_new_token(called, scores, expected_scores):
    problem = wrong_type(scores, tuple, f"{called}.scores",
                         "Which generate() option keeps the (processed) scores of every step?")
    assert problem is None, problem
    assert len(scores) == len(expected_scores), (
        f"{called}.scores holds {len(scores)} tensors; expected {len(expected_scores)}, one per new token. "
        "Did you pass output_scores=True (output_logits gives the raw logits instead)?")
    for step, (mine, theirs) in enumerate(zip(scores, expected_scores, strict=True)):
        problem = tensor_problem(mine, theirs, f"{called}.scores[{step}]", "(batch, vocabulary size)",
                                 "Scores are the logits after top_k and top_p filtering (-inf where filtered out).")
        assert problem is None, problem


@task(2)
@given(prompt=prompts(), seed=seeds(), top_k=top_ks(), top_p=top_ps(), max_new_tokens=few_new_token_counts())
@example(prompt=UNKNOWN_PROMPT, seed=0, top_k=3, top_p=0.8, max_new_tokens=6)
def test_every_sampled_token_is_allowed_by_top_k_and_top_p(kata, gpt2, gpt2_reference, prompt, seed, top_k, top_p,
                                                           max_new_tokens):
    config = reference_config(max_new_tokens, top_k, top_p)
    called, got = sample_output(kata, gpt2, prompt, config, seed)
    prompt_length = len(gpt2_reference.tokenizer(prompt)["input_ids"])
    step_logits = next_token_logits_at_each_step(gpt2_reference, got.sequences, prompt_length)
    for step, (token, logits) in enumerate(zip(got.sequences[0, prompt_length:].tolist(), step_logits, strict=True)):
        allowed = allowed_by_top_k_top_p(logits, top_k, top_p).nonzero().flatten().tolist()
        note(f"step {step}: drew {token}, allowed {allowed}")
        message = (f"{called} drew token {token} ({gpt2_reference.tokenizer.decode([token])!r}) at step {step}, "
                   f"but top_k={top_k}, top_p={top_p} allow only {allowed}. Did you generate with the config?")
        assert token in allowed, message


@task(2)
def test_sample_depends_on_the_seed(kata, gpt2):
    config = reference_config(max_new_tokens=8)
    draws = set()
    for seed in range(5):
        torch.manual_seed(0)  # the same global state every time: only the seed argument differs
        _, output = sample_output(kata, gpt2, UNKNOWN_PROMPT, config, seed)
        draws.add(tuple(output.sequences[0].tolist()))
    message = (f"sample(tokenizer, model, {UNKNOWN_PROMPT!r}, {config_repr(config)}, seed) gave the same tokens "
               "for every seed from 0 to 4: it does not sample, or ignores the seed. "
               "Is do_sample=True overridden by an option of yours, and does torch.manual_seed get the seed?")
    assert len(draws) > 1, message


# Task 3: why did generation stop?

@task(3)
@given(prompt=prompts(), max_new_tokens=few_new_token_counts())
@example(prompt="Hello world", max_new_tokens=16)
def test_greedy_with_end_equals_generate_and_sees_the_end(kata, gpt2, gpt2_reference, prompt, max_new_tokens):
    called = call("greedy_with_end", gpt2.tokenizer, gpt2.model, prompt, max_new_tokens)
    got = kata.greedy_with_end(gpt2.tokenizer, gpt2.model, prompt, max_new_tokens)
    problem = wrong_type(got, tuple, called, "Return a pair: (new_text, ended).")
    assert problem is None, problem
    tokenizer = gpt2_reference.tokenizer
    new_ids = new_ids_of(tokenizer, prompt, greedy_ids(gpt2_reference, prompt, max_new_tokens)).tolist()
    expected = (tokenizer.decode(new_ids, skip_special_tokens=True), tokenizer.eos_token_id in new_ids)
    note(f"new ids: {new_ids}")
    message = mismatch(called, got, expected,
                       "Expected the new text of greedy generate() decoded with skip_special_tokens=True, and True "
                       "when the new ids hold the end-of-sequence token (the decoded text no longer shows it).")
    assert tuple(got) == expected, message


@task(3)
def test_greedy_with_end_when_the_end_is_the_last_token_allowed(kata, gpt2, gpt2_reference):
    prompt = "Hello world"  # the model ends this corpus line with <|endoftext|>
    new_ids = new_ids_of(gpt2_reference.tokenizer, prompt, greedy_ids(gpt2_reference, prompt, 20)).tolist()
    eos = gpt2_reference.tokenizer.eos_token_id
    assert eos in new_ids, "the zoo model no longer ends its corpus lines"
    tokens_to_the_end = new_ids.index(eos) + 1
    for max_new_tokens, ended in ((tokens_to_the_end, True), (tokens_to_the_end - 1, False)):
        called = call("greedy_with_end", gpt2.tokenizer, gpt2.model, prompt, max_new_tokens)
        got = kata.greedy_with_end(gpt2.tokenizer, gpt2.model, prompt, max_new_tokens)
        problem = wrong_type(got, tuple, called, "Return a pair: (new_text, ended).")
        assert problem is None, problem
        message = (f"{called} returned ended={got[1]!r}; expected {ended}: the {tokens_to_the_end}th new token is "
                   f"the end-of-sequence token, so max_new_tokens={max_new_tokens} "
                   f"{'still lets the model end the text' if ended else 'cuts the text off just before'}. "
                   "Counting the new tokens cannot tell these apart: look for the token itself.")
        assert got[1] == ended, message


# Task 4: batches, left-padded.

def right_padded_continuations(gpt2_dir, model, prompts, max_new_tokens):
    """What a batch gives with padding on the right: the mistake the learner must not make."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(gpt2_dir)  # a private one: the reference must not change
    tokenizer.pad_token, tokenizer.padding_side = tokenizer.eos_token, "right"
    inputs = tokenizer(prompts, padding=True, return_tensors="pt")
    output = model.generate(**inputs, do_sample=False, max_new_tokens=max_new_tokens)
    return tokenizer.batch_decode(output[:, inputs["input_ids"].shape[1]:], skip_special_tokens=True)


def batch_output(kata, gpt2, prompts, max_new_tokens):
    called = call("generate_batch", gpt2.tokenizer, gpt2.model, prompts, max_new_tokens)
    got = kata.generate_batch(gpt2.tokenizer, gpt2.model, prompts, max_new_tokens)
    problem = wrong_type(got, list, called, "Return a list with one string per prompt (tokenizer.batch_decode).")
    assert problem is None, problem
    return called, got


@task(4)
@given(prompts=text_batches(max_size=3), max_new_tokens=few_new_token_counts())
@example(prompts=["Hello world", "The quick brown fox jumps"], max_new_tokens=6)
def test_batched_generation_equals_one_by_one_with_left_padding(kata, gpt2, gpt2_reference, prompts, max_new_tokens):
    called, got = batch_output(kata, gpt2, prompts, max_new_tokens)
    expected = [greedy_continuation(gpt2_reference, prompt, max_new_tokens) for prompt in prompts]
    message = mismatch(called, got, expected,
                       "Expected each prompt's greedy continuation, as if generated alone. A decoder continues from "
                       "the last position of each row: is the padding on the left (padding_side), and does "
                       "generate() get the attention mask?")
    assert got == expected, message


@task(4)
def test_right_padding_is_not_what_batched_generation_gives(kata, gpt2, gpt2_dir, gpt2_reference):
    prompts, max_new_tokens = ["Hello world", "The quick brown fox jumps over"], 16
    called, got = batch_output(kata, gpt2, prompts, max_new_tokens)
    expected = [greedy_continuation(gpt2_reference, prompt, max_new_tokens) for prompt in prompts]
    right_padded = right_padded_continuations(gpt2_dir, gpt2_reference.model, prompts, max_new_tokens)
    assert right_padded != expected, "the zoo model no longer shows what right padding does"
    eos = gpt2_reference.tokenizer.eos_token
    assert not any(eos in text for text in got), (
        f"{called} returned {got}: the first prompt ends with {eos} and its row is then padded with it. "
        "Did you decode with skip_special_tokens=True?")
    advice = ("This is what right padding gives: the shorter prompt's row ends in padding, and generate() continues "
              "from there. On which side must a decoder's padding go?" if got == right_padded else
              "Is the padding on the left, and the attention mask passed to generate()?")
    assert got == expected, mismatch(called, got, expected, advice)
