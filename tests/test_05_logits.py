"""Kata 5, logits: the learner's logits, next-token distribution, greedy loop and perplexity equal the library's.

The zoo's GPT-2 has dropout 0.1: a model switched to training mode gives other numbers at every call.
"""

import math

import pytest
import torch
from hypothesis import assume, example, given, note
from hypothesis import strategies as st

from katakit.explain import call, mismatch, tensor_problem, wrong_type
from katakit.reference import causal_lm_logits, causal_lm_loss, greedy_ids
from katakit.spy import record_calls
from katakit.strategies import prompts

task = pytest.mark.task
LOGITS_SHAPE = "(batch of 1, number of tokens, config.vocab_size)"


def assert_still_in_eval_mode(model, called: str) -> None:
    message = (f"After {called} the model is in training mode, where dropout changes its outputs at random. "
               "Did you call model.train()? Leave it in eval mode, as from_pretrained gives it.")
    assert not model.training, message


def readable(tokenizer, ids: torch.Tensor) -> str:
    return repr(tokenizer.decode(ids.reshape(-1).tolist()))


@task(1)
@given(text=prompts())
@example(text="Hello world")
def test_compute_logits_equals_the_models_logits(kata, gpt2, gpt2_reference, text):
    called = call("compute_logits", gpt2.tokenizer, gpt2.model, text)
    got = kata.compute_logits(gpt2.tokenizer, gpt2.model, text)
    assert_still_in_eval_mode(gpt2.model, called)
    expected = causal_lm_logits(gpt2_reference, text)
    config = gpt2_reference.model.config
    note(f"tokens: {gpt2_reference.tokenizer.tokenize(text)}; config.vocab_size={config.vocab_size}")
    problem = tensor_problem(got, expected, called, LOGITS_SHAPE,
                             "Expected the `logits` of the model's output, for the tokenized text.")
    assert problem is None, problem


@task(2)
@given(text=prompts(), k=st.integers(min_value=1, max_value=10))
@example(text="Hello world", k=3)
@example(text="H", k=2)  # a single token: the position and the vocabulary dimensions are easy to mix up
def test_next_token_top_k_is_the_softmax_and_topk_of_the_last_logits(kata, gpt2, gpt2_reference, text, k):
    called = call("next_token_top_k", gpt2.tokenizer, gpt2.model, text, k)
    got = kata.next_token_top_k(gpt2.tokenizer, gpt2.model, text, k)
    assert_still_in_eval_mode(gpt2.model, called)
    problem = wrong_type(got, tuple, called, "Return a pair: (probabilities, top_ids).")
    assert problem is None and len(got) == 2, problem or f"{called} returned {len(got)} values; expected 2."
    probabilities, top_ids = got
    if isinstance(probabilities, torch.Tensor) and probabilities.dim() == 1:
        total = probabilities.sum().item()
        assert math.isclose(total, 1, abs_tol=1e-4), (
            f"{called}: the probabilities sum to {total:.4g}, not 1. Did you take a softmax, and over which dimension?")
    last_logits = causal_lm_logits(gpt2_reference, text)[0, -1]
    problem = tensor_problem(
        probabilities, last_logits.softmax(dim=-1), f"{called}: probabilities", "(config.vocab_size,)",
        "Expected the softmax of the last position's logits (the position that predicts the next token), taken "
        "over the vocabulary so that it sums to 1.")
    assert problem is None, problem
    expected_ids = torch.topk(last_logits, k).indices.tolist()
    top_ids = torch.as_tensor(top_ids).tolist()
    tokens = gpt2_reference.tokenizer.convert_ids_to_tokens
    note(f"top tokens: got {tokens(top_ids)}, expected {tokens(expected_ids)}")
    assert top_ids == expected_ids, mismatch(f"{called}: top_ids", top_ids, expected_ids,
                                             f"Expected the ids of the {k} largest probabilities, the most likely "
                                             "first, as torch.topk gives them.")


@task(3)
@given(prompt=prompts(), max_new_tokens=st.integers(min_value=1, max_value=8))
@example(prompt="Hello world", max_new_tokens=20)  # ends with <|endoftext|> before 20 tokens
@example(prompt="zq", max_new_tokens=3)
def test_greedy_decode_equals_generate_token_for_token(kata, gpt2, gpt2_reference, prompt, max_new_tokens):
    called = call("greedy_decode", gpt2.tokenizer, gpt2.model, prompt, max_new_tokens)
    got = kata.greedy_decode(gpt2.tokenizer, gpt2.model, prompt, max_new_tokens)
    assert_still_in_eval_mode(gpt2.model, called)
    problem = wrong_type(got, torch.Tensor, called, "Return the ids as a tensor of shape (1, number of ids).")
    assert problem is None, problem
    expected = greedy_ids(gpt2_reference, prompt, max_new_tokens)
    tokenizer = gpt2_reference.tokenizer
    prompt_length = len(tokenizer(prompt)["input_ids"])
    message = (f"{called}\n  returned ids {got.tolist()}, {readable(tokenizer, got)}: "
               f"{got.numel() - prompt_length} new tokens\n"
               f"  expected ids {expected.tolist()}, {readable(tokenizer, expected)}: "
               f"{expected.numel() - prompt_length} new tokens\n"
               "Expected what generate(do_sample=False, max_new_tokens=...) returns: the prompt's ids, then at "
               "each step the argmax of the last position's logits, until max_new_tokens new tokens or until "
               f"(and including) the end-of-text token {tokenizer.eos_token}.")
    assert got.shape == expected.shape and torch.equal(got, expected), message


@task(3)
def test_greedy_decode_is_a_loop_of_its_own(kata, gpt2):
    calls = record_calls(gpt2.model, "generate")
    kata.greedy_decode(gpt2.tokenizer, gpt2.model, "Hello world", 4)
    assert not calls, ("greedy_decode called model.generate: the task is to write the loop that generate() runs, "
                       "calling the model itself one token at a time.")


def token_count(reference, text) -> int:
    return len(reference.tokenizer(text)["input_ids"])


@task(4)
@given(text=prompts())
@example(text="Hello world, this is a tiny language model.")
@example(text="The lazy fox is quick.")
def test_log_likelihood_and_perplexity_agree_with_the_models_loss(kata, gpt2, gpt2_reference, text):
    tokens = token_count(gpt2_reference, text)
    assume(tokens >= 2)  # one token alone predicts nothing
    called = call("log_likelihood_and_perplexity", gpt2.tokenizer, gpt2.model, text)
    got = kata.log_likelihood_and_perplexity(gpt2.tokenizer, gpt2.model, text)
    assert_still_in_eval_mode(gpt2.model, called)
    problem = wrong_type(got, tuple, called, "Return a pair of floats: (log_likelihood, perplexity).")
    assert problem is None and len(got) == 2, problem or f"{called} returned {len(got)} values; expected 2."
    log_likelihood, perplexity = (float(value) for value in got)
    loss = causal_lm_loss(gpt2_reference, text)
    note(f"{tokens} tokens; the model's loss with labels=input_ids: {loss}")
    expected = -loss * (tokens - 1)
    assert math.isclose(log_likelihood, expected, rel_tol=1e-4, abs_tol=1e-4), mismatch(
        f"{called}: log_likelihood", log_likelihood, expected,
        f"Expected the sum of log-probabilities of the {tokens - 1} tokens after the first, each read from the "
        "logits of the position before it (the model's loss times -(tokens - 1)). Did you shift logits and ids "
        "by one?")
    assert math.isclose(perplexity, math.exp(loss), rel_tol=1e-4), mismatch(
        f"{called}: perplexity", perplexity, math.exp(loss),
        "Expected exp(-mean log-probability per predicted token), which is exp(model loss).")


@task(4)
def test_perplexity_comes_from_the_logits_not_the_loss(kata, gpt2):
    calls = record_calls(gpt2.model, "forward")
    kata.log_likelihood_and_perplexity(gpt2.tokenizer, gpt2.model, "Hello world")
    assert calls, "log_likelihood_and_perplexity never called the model: the numbers come from its logits."
    with_labels = [c for c in calls if c["kwargs"].get("labels") is not None]
    assert not with_labels, ("log_likelihood_and_perplexity passed labels= to the model: the model then shifts and "
                             "averages for you. The task is to do it yourself from the logits.")
