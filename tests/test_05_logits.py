"""Kata 5, logits: the learner's logits, next-token distribution, greedy loop and perplexity equal the library's.

Every task runs on both causal LMs of the zoo. The Llama-style one starts every text with <|begin_of_text|>
and ends generation at either of two ids (its generation config's eos_token_id is a list). Both have
dropout 0.1: a model switched to training mode gives other numbers at every call.
"""

import copy
import math

import pytest
import torch
from hypothesis import assume, example, given, note
from hypothesis import strategies as st

from katakit.explain import call, mismatch, structure_problem, tensor_problem, wrong_type
from katakit.fixtures import assert_every_end_id_reached
from katakit.i18n import N_, _
from katakit.reference import causal_lm_logits, causal_lm_loss, end_ids, greedy_ids
from katakit.spy import record_calls
from katakit.strategies import prompts
from katakit.unchanged import keep

task = pytest.mark.task
LOGITS_SHAPE = N_("(batch of 1, number of tokens, config.vocab_size)")


def assert_left_alone(kept, called: str, model) -> None:
    problem = kept.changed(called)
    if problem and model.training:  # left in training mode (asked of the model: the message is in any language)
        problem += " " + _(
            "In training mode dropout changes the model's outputs at random: leave it in eval mode, "
            "as from_pretrained gives it."
        )
    assert problem is None, problem


def readable(tokenizer, ids: torch.Tensor) -> str:
    return repr(tokenizer.decode(ids.reshape(-1).tolist()))


def begins_with(tokenizer, text) -> str:
    tokens = tokenizer.convert_ids_to_tokens(tokenizer(text)["input_ids"])
    return _("tokens: {tokens}", tokens=tokens) + (
        " " + _("(the tokenizer adds {token} itself)", token=tokenizer.bos_token)
        if tokenizer.bos_token and tokens[:1] == [tokenizer.bos_token]
        else ""
    )


@task(1)
@given(text=prompts())
@example(text="Hello world")
def test_compute_logits_equals_the_models_logits(kata, causal_lm, causal_lm_reference, text):
    called = call("compute_logits", causal_lm.tokenizer, causal_lm.model, text)
    kept = keep(model=causal_lm.model)
    got = kata.compute_logits(causal_lm.tokenizer, causal_lm.model, text)
    assert_left_alone(kept, called, causal_lm.model)
    expected = causal_lm_logits(causal_lm_reference, text)
    note(
        _(
            "{tokenized}; config.vocab_size={vocab_size}",
            tokenized=begins_with(causal_lm_reference.tokenizer, text),
            vocab_size=causal_lm_reference.model.config.vocab_size,
        )
    )
    problem = tensor_problem(
        got,
        expected,
        called,
        _(LOGITS_SHAPE),
        _(
            "Expected the `logits` of the model's output, for the text tokenized as the tokenizer "
            "does it (special tokens it adds included)."
        ),
    )
    assert problem is None, problem


@task(1)
def test_compute_logits_uses_the_model_it_is_given(kata, causal_lm, causal_lm_reference):
    # A model changed in memory, as after fine-tuning: its embeddings doubled, in the learner's copy and in ours.
    changed = copy.deepcopy(causal_lm_reference.model)
    with torch.no_grad():
        for model in (causal_lm.model, changed):
            model.get_input_embeddings().weight.mul_(2)
    text = "Hello world"
    called = _(
        "{call} (a model changed in memory)", call=call("compute_logits", causal_lm.tokenizer, causal_lm.model, text)
    )
    got = kata.compute_logits(causal_lm.tokenizer, causal_lm.model, text)
    with torch.no_grad():
        expected = changed(**causal_lm_reference.tokenizer(text, return_tensors="pt")).logits
    problem = tensor_problem(
        got,
        expected,
        called,
        _(LOGITS_SHAPE),
        _(
            "The model given had its embedding weights changed in memory: call that model itself, "
            "not one loaded again from its folder."
        ),
    )
    assert problem is None, problem


@task(2)
@given(text=prompts(), k=st.integers(min_value=1, max_value=10))
@example(text="Hello world", k=3)
@example(text="H", k=2)  # a single token: the position and the vocabulary dimensions are easy to mix up
def test_next_token_top_k_is_the_softmax_and_topk_of_the_last_logits(kata, causal_lm, causal_lm_reference, text, k):
    called = call("next_token_top_k", causal_lm.tokenizer, causal_lm.model, text, k)
    kept = keep(model=causal_lm.model)
    got = kata.next_token_top_k(causal_lm.tokenizer, causal_lm.model, text, k)
    assert_left_alone(kept, called, causal_lm.model)
    problem = wrong_type(got, tuple, called, _("Return a pair: (probabilities, top_ids)."))
    assert problem is None and len(got) == 2, problem or _(
        "{call} returned {count} values; expected 2.", call=called, count=len(got)
    )
    probabilities, top_ids = got
    if isinstance(probabilities, torch.Tensor) and probabilities.dim() == 1:
        total = probabilities.sum().item()
        assert math.isclose(total, 1, abs_tol=1e-4), _(
            "{call}: the probabilities sum to {total}, not 1. Did you take a softmax, and over which dimension?",
            call=called,
            total=format(total, ".4g"),
        )
    note(begins_with(causal_lm_reference.tokenizer, text))
    last_logits = causal_lm_logits(causal_lm_reference, text)[0, -1]
    problem = tensor_problem(
        probabilities,
        last_logits.softmax(dim=-1),
        f"{called}: probabilities",
        "(config.vocab_size,)",
        _(
            "Expected the softmax of the last position's logits (the position that predicts the next token), taken "
            "over the vocabulary so that it sums to 1."
        ),
    )
    assert problem is None, problem
    expected_ids = torch.topk(last_logits, k).indices.tolist()
    problem = structure_problem(top_ids, expected_ids, f"{called}: top_ids")
    assert problem is None, problem + " " + _("The statement promises a list of Python ints.")
    tokens = causal_lm_reference.tokenizer.convert_ids_to_tokens
    note(_("top tokens: got {got}, expected {expected}", got=tokens(top_ids), expected=tokens(expected_ids)))
    assert top_ids == expected_ids, mismatch(
        f"{called}: top_ids",
        top_ids,
        expected_ids,
        _(
            "Expected the ids of the {count} largest probabilities, the most likely first, as torch.topk gives them.",
            count=k,
        ),
    )


def check_greedy_decode(kata, loaded, reference, prompt, max_new_tokens, advice=""):
    called = call("greedy_decode", loaded.tokenizer, loaded.model, prompt, max_new_tokens)
    kept = keep(model=loaded.model)
    got = kata.greedy_decode(loaded.tokenizer, loaded.model, prompt, max_new_tokens)
    assert_left_alone(kept, called, loaded.model)
    problem = wrong_type(got, torch.Tensor, called, _("Return the ids as a tensor of shape (1, number of ids)."))
    assert problem is None, problem
    expected = greedy_ids(reference, prompt, max_new_tokens)
    tokenizer = reference.tokenizer
    prompt_length = len(tokenizer(prompt)["input_ids"])
    ends = tokenizer.convert_ids_to_tokens(end_ids(reference.model))
    message = "\n".join(
        [
            called,
            "  "
            + _(
                "returned ids {ids}, {text}: {count} new tokens",
                ids=got.tolist(),
                text=readable(tokenizer, got),
                count=got.numel() - prompt_length,
            ),
            "  "
            + _(
                "expected ids {ids}, {text}: {count} new tokens",
                ids=expected.tolist(),
                text=readable(tokenizer, expected),
                count=expected.numel() - prompt_length,
            ),
            _(
                "Expected what generate(do_sample=False, max_new_tokens=...) returns: the prompt's ids (with the "
                "special tokens the tokenizer adds), then at each step the argmax of the last position's logits, "
                "until max_new_tokens new tokens or until (and including) an end token: this model ends at "
                "{end_tokens}, model.generation_config.eos_token_id={eos_token_id}.",
                end_tokens=ends,
                eos_token_id=repr(reference.model.generation_config.eos_token_id),
            )
            + " "
            + advice,
        ]
    )
    assert got.shape == expected.shape and torch.equal(got, expected), message.rstrip()


@task(3)
@given(prompt=prompts(), max_new_tokens=st.integers(min_value=1, max_value=8))
@example(prompt="Hello world", max_new_tokens=20)  # ends with an end token before 20 tokens
@example(prompt="zq", max_new_tokens=3)
def test_greedy_decode_equals_generate_token_for_token(kata, causal_lm, causal_lm_reference, prompt, max_new_tokens):
    check_greedy_decode(kata, causal_lm, causal_lm_reference, prompt, max_new_tokens)


@task(3)
def test_greedy_decode_stops_at_every_end_id_of_the_model(kata, causal_lm, causal_lm_reference, causal_lm_end_prompts):
    assert_every_end_id_reached(causal_lm_reference, causal_lm_end_prompts)
    tokenizer = causal_lm_reference.tokenizer
    for end_id in end_ids(causal_lm_reference.model):
        prompt, tokens_to_the_end = causal_lm_end_prompts[end_id]
        # Room to run past the end: a loop that misses this end id shows its extra tokens.
        check_greedy_decode(
            kata,
            causal_lm,
            causal_lm_reference,
            prompt,
            tokens_to_the_end + 3,
            _(
                "The greedy continuation of {prompt} ends at {end_token} "
                "after {count} new tokens: do you stop at every id of eos_token_id, and "
                "is it one id or a list?",
                prompt=repr(prompt),
                end_token=tokenizer.convert_ids_to_tokens(end_id),
                count=tokens_to_the_end,
            ),
        )


@task(3)
def test_greedy_decode_is_a_loop_of_its_own(kata, gpt2):
    calls = record_calls(gpt2.model, "generate")
    kata.greedy_decode(gpt2.tokenizer, gpt2.model, "Hello world", 4)
    assert not calls, _(
        "greedy_decode called model.generate: the task is to write the loop that generate() runs, "
        "calling the model itself one token at a time."
    )


def token_count(reference, text) -> int:
    return len(reference.tokenizer(text)["input_ids"])


@task(4)
@given(text=prompts())
@example(text="Hello world, this is a tiny language model.")
@example(text="The lazy fox is quick.")
def test_log_likelihood_and_perplexity_agree_with_the_models_loss(kata, causal_lm, causal_lm_reference, text):
    tokens = token_count(causal_lm_reference, text)
    assume(tokens >= 2)  # one token alone predicts nothing
    called = call("log_likelihood_and_perplexity", causal_lm.tokenizer, causal_lm.model, text)
    kept = keep(model=causal_lm.model)
    got = kata.log_likelihood_and_perplexity(causal_lm.tokenizer, causal_lm.model, text)
    assert_left_alone(kept, called, causal_lm.model)
    loss = causal_lm_loss(causal_lm_reference, text)
    expected = (-loss * (tokens - 1), math.exp(loss))
    problem = structure_problem(got, expected, called)
    assert problem is None, problem + " " + _("The statement promises a pair (a tuple) of Python floats.")
    log_likelihood, perplexity = got
    note(
        _(
            "{count} tokens, {tokenized}; the model's loss with labels=input_ids: {loss}",
            count=tokens,
            tokenized=begins_with(causal_lm_reference.tokenizer, text),
            loss=loss,
        )
    )
    assert math.isclose(log_likelihood, expected[0], rel_tol=1e-4, abs_tol=1e-4), mismatch(
        f"{called}: log_likelihood",
        log_likelihood,
        expected[0],
        _(
            "Expected the sum of log-probabilities of the {count} tokens after the first (the text tokenized as "
            "the tokenizer does it, special tokens it adds included), each read from the logits of the position "
            "before it (the model's loss times -(tokens - 1)). Did you shift logits and ids by one?",
            count=tokens - 1,
        ),
    )
    assert math.isclose(perplexity, expected[1], rel_tol=1e-4), mismatch(
        f"{called}: perplexity",
        perplexity,
        expected[1],
        _("Expected exp(-mean log-probability per predicted token), which is exp(model loss)."),
    )


@task(4)
def test_perplexity_comes_from_the_logits_not_the_loss(kata, gpt2):
    calls = record_calls(gpt2.model, "forward")
    kata.log_likelihood_and_perplexity(gpt2.tokenizer, gpt2.model, "Hello world")
    assert calls, _("log_likelihood_and_perplexity never called the model: the numbers come from its logits.")
    with_labels = [c for c in calls if c["kwargs"].get("labels") is not None]
    assert not with_labels, _(
        "log_likelihood_and_perplexity passed labels= to the model: the model then shifts and "
        "averages for you. The task is to do it yourself from the logits."
    )
