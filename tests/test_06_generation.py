"""Kata 6, generation strategies: configs, seeded sampling, scores, stopping and left-padded batches.

The tasks run on both causal LMs of the zoo. The Llama-style one ends generation at either of two ids (its
generation config's eos_token_id is a list) and its generation config samples (do_sample=True, temperature 0.6,
top_p 0.9): code that leaves an option to generate()'s defaults samples there.
"""

import pytest
import torch
from hypothesis import example, given, note

from katakit.explain import call, mismatch, structure_problem, tensor_problem, wrong_type
from katakit.fixtures import assert_every_end_id_reached
from katakit.i18n import N_, _
from katakit.reference import (
    UNKNOWN_PROMPTS,
    allowed_by_top_k_top_p,
    end_ids,
    greedy_continuation,
    greedy_ids,
    next_token_logits_at_each_step,
    sampled,
)
from katakit.strategies import few_new_token_counts, new_token_counts, prompts, seeds, text_batches, top_ks, top_ps
from katakit.unchanged import keep

task = pytest.mark.task
UNKNOWN_PROMPT = UNKNOWN_PROMPTS[0]  # not in the corpus: the model's next-token distribution is broad there
CONFIG_FIELDS = ("do_sample", "max_new_tokens", "top_k", "top_p")


def reference_config(max_new_tokens=6, top_k=50, top_p=1.0):
    from transformers import GenerationConfig

    return GenerationConfig(do_sample=True, max_new_tokens=max_new_tokens, top_k=top_k, top_p=top_p)


def config_repr(config) -> str:
    return f"GenerationConfig({', '.join(f'{name}={getattr(config, name)!r}' for name in CONFIG_FIELDS)})"


def new_ids_of(tokenizer, prompt, sequences):
    return sequences[0, len(tokenizer(prompt)["input_ids"]) :]


# Task 1: a GenerationConfig that samples.


@task(1)
@given(max_new_tokens=new_token_counts(), top_k=top_ks(), top_p=top_ps())
@example(max_new_tokens=8, top_k=5, top_p=0.9)
def test_sampling_config_holds_the_sampling_options(kata, max_new_tokens, top_k, top_p):
    from transformers import GenerationConfig

    called = call("sampling_config", max_new_tokens, top_k, top_p)
    got = kata.sampling_config(max_new_tokens, top_k, top_p)
    problem = wrong_type(
        got, GenerationConfig, called, _("Build a transformers.GenerationConfig, not a dict of options.")
    )
    assert problem is None, problem
    expected = reference_config(max_new_tokens, top_k, top_p)
    for name in CONFIG_FIELDS:
        message = _(
            "{call} has {option}={value}; expected {expected}. "
            "Without do_sample=True generate() is greedy and ignores top_k and top_p; "
            "max_new_tokens counts new tokens only (max_length would count the prompt too).",
            call=called,
            option=name,
            value=repr(getattr(got, name)),
            expected=repr(getattr(expected, name)),
        )
        assert getattr(got, name) == getattr(expected, name), message
    # Every other option too, whatever the model: an option set here overrides the model's own generation config.
    mine, theirs = set_options(got), set_options(expected)
    extra = {name: mine.get(name) for name in sorted(set(mine) | set(theirs)) if mine.get(name) != theirs.get(name)}
    options = ", ".join(f"{name}={value!r}" for name, value in extra.items())
    message = _(
        "{call} also sets {options}; expected only "
        "{config}. Each option set in the config replaces what the model's own generation "
        "config says (temperature reshapes the distribution sampling draws from; the pipeline's defaults "
        "are not part of the task): set only the four options the task names.",
        call=called,
        options=options,
        config=config_repr(expected),
    )
    assert not extra, message


def set_options(config) -> dict:
    """The options `config` sets, less the library's defaults and its version stamp."""
    return {name: value for name, value in config.to_diff_dict().items() if name != "transformers_version"}


@task(1)
def test_generating_with_the_sampling_config_samples_like_the_library(kata, causal_lm_reference):
    from transformers import GenerationConfig

    config = kata.sampling_config(6, 8, 0.9)
    problem = wrong_type(config, GenerationConfig, call("sampling_config", 6, 8, 0.9), _("Build a GenerationConfig."))
    assert problem is None, problem
    expected_config = reference_config(6, 8, 0.9)
    for seed in range(2):
        got = sampled(causal_lm_reference, UNKNOWN_PROMPT, config, seed).sequences
        expected = sampled(causal_lm_reference, UNKNOWN_PROMPT, expected_config, seed).sequences
        message = _(
            "{model}.generate() with {call} "
            "under torch.manual_seed({seed}) gave "
            "ids {ids}; with {config} it gives {expected_ids}. "
            "{difference}",
            model=type(causal_lm_reference.model).__name__,
            call=call("sampling_config", 6, 8, 0.9),
            seed=seed,
            ids=got.tolist(),
            config=config_repr(expected_config),
            expected_ids=expected.tolist(),
            difference=options_difference(set_options(config), set_options(expected_config)),
        )
        assert got.tolist() == expected.tolist(), message


def options_difference(mine: dict, theirs: dict) -> str:
    """What a config sets other than the expected one: options left out or set to another value, and options
    set on top."""
    other = [f"{name}={theirs[name]!r}" for name in sorted(theirs) if mine.get(name) != theirs[name]]
    extra = [f"{name}={mine[name]!r}" for name in sorted(set(mine) - set(theirs))]
    said = ([_("It does not set {options}.", options=", ".join(other))] if other else []) + (
        [_("It also sets {options}.", options=", ".join(extra))] if extra else []
    )
    return " ".join(said) or _("Its options are the expected ones: does generate() get the config you built?")


# Task 2: seeded sampling, with the scores of every step.


def sample_output(kata, loaded, prompt, config, seed):
    called = _(
        "{call} with {config}",
        call=call("sample", loaded.tokenizer, loaded.model, prompt, config, seed),
        config=config_repr(config),
    )
    kept = keep(model=loaded.model, generation_config=config)
    output = kata.sample(loaded.tokenizer, loaded.model, prompt, config, seed)
    problem = kept.changed(called)
    assert problem is None, problem
    message = _(
        "{call} returned {type}; expected generate()'s dict output with `sequences` "
        "and `scores`. Which generate() options return a dict, and put the scores in it?",
        call=called,
        type=type(output).__name__,
    )
    assert hasattr(output, "sequences") and hasattr(output, "scores"), message
    return called, output


@task(2)
@given(prompt=prompts(), seed=seeds(), top_k=top_ks(), top_p=top_ps(), max_new_tokens=few_new_token_counts())
@example(prompt=UNKNOWN_PROMPT, seed=1, top_k=12, top_p=1.0, max_new_tokens=6)
def test_sample_reproduces_the_library_under_the_same_seed_with_its_scores(
    kata, causal_lm, causal_lm_reference, prompt, seed, top_k, top_p, max_new_tokens
):
    config = reference_config(max_new_tokens, top_k, top_p)
    called, got = sample_output(kata, causal_lm, prompt, config, seed)
    expected = sampled(causal_lm_reference, prompt, reference_config(max_new_tokens, top_k, top_p), seed)
    note(_("expected text: {text}", text=repr(causal_lm_reference.tokenizer.decode(expected.sequences[0]))))
    message = mismatch(
        called + ".sequences",
        got.sequences.tolist(),
        expected.sequences.tolist(),
        _(
            "Expected generate(**inputs, generation_config=config) right after torch.manual_seed({seed}). "
            "Did you seed torch just before generating, and pass the config itself (its top_k, top_p, "
            "max_new_tokens) rather than options of your own?",
            seed=seed,
        ),
    )
    assert got.sequences.tolist() == expected.sequences.tolist(), message
    assert_one_score_per_new_token(called, got.scores, expected.scores)


def assert_one_score_per_new_token(called, scores, expected_scores):
    problem = wrong_type(
        scores, tuple, f"{called}.scores", _("Which generate() option keeps the (processed) scores of every step?")
    )
    assert problem is None, problem
    assert len(scores) == len(expected_scores), _(
        "{call}.scores holds {count} tensors; expected {expected_count}, one per new token. "
        "Did you pass output_scores=True (output_logits gives the raw logits instead)?",
        call=called,
        count=len(scores),
        expected_count=len(expected_scores),
    )
    for step, (mine, theirs) in enumerate(zip(scores, expected_scores, strict=True)):
        problem = tensor_problem(
            mine,
            theirs,
            f"{called}.scores[{step}]",
            _("(batch, vocabulary size)"),
            _("Scores are the logits after top_k and top_p filtering (-inf where filtered out)."),
        )
        assert problem is None, problem


@task(2)
@given(prompt=prompts(), seed=seeds(), top_k=top_ks(), top_p=top_ps(), max_new_tokens=few_new_token_counts())
@example(prompt=UNKNOWN_PROMPT, seed=0, top_k=3, top_p=0.8, max_new_tokens=6)
def test_every_sampled_token_is_allowed_by_top_k_and_top_p(
    kata, gpt2, gpt2_reference, prompt, seed, top_k, top_p, max_new_tokens
):
    config = reference_config(max_new_tokens, top_k, top_p)
    called, got = sample_output(kata, gpt2, prompt, config, seed)
    prompt_length = len(gpt2_reference.tokenizer(prompt)["input_ids"])
    step_logits = next_token_logits_at_each_step(gpt2_reference, got.sequences, prompt_length)
    for step, (token, logits) in enumerate(zip(got.sequences[0, prompt_length:].tolist(), step_logits, strict=True)):
        allowed = allowed_by_top_k_top_p(logits, top_k, top_p).nonzero().flatten().tolist()
        note(_("step {step}: drew {token}, allowed {allowed}", step=step, token=token, allowed=allowed))
        message = _(
            "{call} drew token {token} ({text}) at step {step}, "
            "but top_k={top_k}, top_p={top_p} allow only {allowed}. Did you generate with the config?",
            call=called,
            token=token,
            text=repr(gpt2_reference.tokenizer.decode([token])),
            step=step,
            top_k=top_k,
            top_p=top_p,
            allowed=allowed,
        )
        assert token in allowed, message


@task(2)
def test_sample_depends_on_the_seed(kata, gpt2):
    config = reference_config(max_new_tokens=8)
    draws = set()
    for seed in range(5):
        torch.manual_seed(0)  # the same global state every time: only the seed argument differs
        _called, output = sample_output(kata, gpt2, UNKNOWN_PROMPT, config, seed)
        draws.add(tuple(output.sequences[0].tolist()))
    message = _(
        "sample(tokenizer, model, {prompt}, {config}, seed) gave the same tokens "
        "for every seed from 0 to 4: it does not sample, or ignores the seed. "
        "Is do_sample=True overridden by an option of yours, and does torch.manual_seed get the seed?",
        prompt=repr(UNKNOWN_PROMPT),
        config=config_repr(config),
    )
    assert len(draws) > 1, message


# Task 3: why did generation stop?


def with_end_output(kata, loaded, prompt, max_new_tokens):
    called = call("greedy_with_end", loaded.tokenizer, loaded.model, prompt, max_new_tokens)
    kept = keep(model=loaded.model)
    got = kata.greedy_with_end(loaded.tokenizer, loaded.model, prompt, max_new_tokens)
    problem = kept.changed(called)
    assert problem is None, problem
    problem = wrong_type(got, tuple, called, _("Return a pair: (new_text, ended)."))
    assert problem is None, problem
    return called, got


def expected_with_end(reference, prompt, max_new_tokens):
    """The new text of greedy generate(), and whether its new ids hold one of the model's end ids."""
    tokenizer = reference.tokenizer
    new_ids = new_ids_of(tokenizer, prompt, greedy_ids(reference, prompt, max_new_tokens)).tolist()
    ends = end_ids(reference.model)
    return new_ids, (tokenizer.decode(new_ids, skip_special_tokens=True), any(token in ends for token in new_ids))


def end_tokens(reference) -> str:
    ids = end_ids(reference.model)
    return (
        f"{reference.tokenizer.convert_ids_to_tokens(ids)} (model.generation_config.eos_token_id="
        f"{reference.model.generation_config.eos_token_id!r})"
    )


@task(3)
@given(prompt=prompts(), max_new_tokens=few_new_token_counts())
@example(prompt="Hello world", max_new_tokens=16)
def test_greedy_with_end_equals_generate_and_sees_the_end(kata, causal_lm, causal_lm_reference, prompt, max_new_tokens):
    called, got = with_end_output(kata, causal_lm, prompt, max_new_tokens)
    new_ids, expected = expected_with_end(causal_lm_reference, prompt, max_new_tokens)
    note(_("new ids: {ids}", ids=new_ids))
    problem = structure_problem(got, expected, called)
    assert problem is None, problem + " " + _("The statement promises a pair (a tuple) of a str and a bool.")
    message = mismatch(
        called,
        got,
        expected,
        _(
            "Expected the new text of greedy generate() (do_sample=False: this model's own generation "
            "config may sample) decoded with skip_special_tokens=True, and True when the new ids hold an "
            "end token of the model, {end_tokens}; the decoded text no longer "
            "shows it.",
            end_tokens=end_tokens(causal_lm_reference),
        ),
    )
    assert got == expected, message


@task(3)
def test_greedy_with_end_when_an_end_token_is_the_last_token_allowed(
    kata, causal_lm, causal_lm_reference, causal_lm_end_prompts
):
    assert_every_end_id_reached(causal_lm_reference, causal_lm_end_prompts)
    tokenizer = causal_lm_reference.tokenizer
    for end_id in end_ids(causal_lm_reference.model):
        prompt, tokens_to_the_end = causal_lm_end_prompts[end_id]
        end = tokenizer.convert_ids_to_tokens(end_id)
        for max_new_tokens, ended in ((tokens_to_the_end, True), (tokens_to_the_end - 1, False)):
            called, got = with_end_output(kata, causal_lm, prompt, max_new_tokens)
            _new_ids, expected = expected_with_end(causal_lm_reference, prompt, max_new_tokens)
            assert expected[1] == ended, "the zoo model no longer ends this prompt where it did"
            problem = structure_problem(got, expected, called)
            assert problem is None, problem + " " + _("The statement promises a pair (a tuple) of a str and a bool.")
            values = {
                "call": called,
                "got": repr(got),
                "expected": repr(expected),
                "count": tokens_to_the_end,
                "end_token": end,
                "end_tokens": end_tokens(causal_lm_reference),
                "max_new_tokens": max_new_tokens,
            }
            verdict = (
                _(
                    "{call} returned {got}; expected {expected}: the greedy continuation's "
                    "{count}th new token is {end_token}, one of the model's end tokens "
                    "{end_tokens}, so max_new_tokens={max_new_tokens} still lets the model end the text.",
                    **values,
                )
                if ended
                else _(
                    "{call} returned {got}; expected {expected}: the greedy continuation's "
                    "{count}th new token is {end_token}, one of the model's end tokens "
                    "{end_tokens}, so max_new_tokens={max_new_tokens} cuts the text off just before.",
                    **values,
                )
            )
            message = (
                verdict
                + " "
                + _(
                    "Counting the new tokens cannot tell these apart: look for the tokens themselves, every id "
                    "that ends this model's generation."
                )
            )
            assert got == expected, message


def sampling_by_default(loaded):
    """`loaded` with a generation config that samples hot (a changed copy): code that leaves the decoding to
    generate()'s defaults samples, whatever the zoo's seed made of the model, and is no longer greedy."""
    loaded.model.generation_config.update(do_sample=True, temperature=3.0, top_k=0, top_p=1.0)
    return loaded


GREEDY_WHATEVER_THE_CONFIG = N_(
    "The model's own generation config samples here (do_sample=True, temperature=3.0), as "
    "many a hub model's does: greedy decoding must be asked for, do_sample=False."
)


@task(3)
def test_greedy_with_end_is_greedy_whatever_the_models_generation_config(kata, causal_lm, causal_lm_reference):
    loaded = sampling_by_default(causal_lm)
    for prompt in ("Hello world", UNKNOWN_PROMPT):
        called, got = with_end_output(kata, loaded, prompt, 8)
        _new_ids, expected = expected_with_end(causal_lm_reference, prompt, 8)
        assert got == expected, mismatch(called, got, expected, _(GREEDY_WHATEVER_THE_CONFIG))


# Task 4: batches, left-padded.


def right_padded_continuations(gpt2_dir, model, prompts, max_new_tokens):
    """What a batch gives with padding on the right: the mistake the learner must not make."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(gpt2_dir)  # a private one: the reference must not change
    tokenizer.pad_token, tokenizer.padding_side = tokenizer.eos_token, "right"
    inputs = tokenizer(prompts, padding=True, return_tensors="pt")
    output = model.generate(**inputs, do_sample=False, max_new_tokens=max_new_tokens)
    return tokenizer.batch_decode(output[:, inputs["input_ids"].shape[1] :], skip_special_tokens=True)


def batch_output(kata, loaded, prompts, max_new_tokens, expected=None):
    called = call("generate_batch", loaded.tokenizer, loaded.model, prompts, max_new_tokens)
    kept = keep(prompts=prompts, model=loaded.model)  # the tokenizer's padding side and pad token may change
    got = kata.generate_batch(loaded.tokenizer, loaded.model, prompts, max_new_tokens)
    problem = kept.changed(called)
    assert problem is None, problem
    problem = wrong_type(got, list, called, _("Return a list with one string per prompt (tokenizer.batch_decode)."))
    assert problem is None, problem
    if expected is not None:
        problem = structure_problem(got, expected, called)
        assert problem is None, problem + " " + _("The statement promises a list of strings, one per prompt.")
    return called, got


@task(4)
@given(prompts=text_batches(max_size=3), max_new_tokens=few_new_token_counts())
@example(prompts=["Hello world", "The quick brown fox jumps"], max_new_tokens=6)
def test_batched_generation_equals_one_by_one_with_left_padding(
    kata, causal_lm, causal_lm_reference, prompts, max_new_tokens
):
    expected = [greedy_continuation(causal_lm_reference, prompt, max_new_tokens) for prompt in prompts]
    called, got = batch_output(kata, causal_lm, prompts, max_new_tokens, expected)
    message = mismatch(
        called,
        got,
        expected,
        _(
            "Expected each prompt's greedy continuation, as if generated alone (do_sample=False: this "
            "model's own generation config may sample). A decoder continues from the last position of "
            "each row: is the padding on the left (padding_side), and does generate() get the attention "
            "mask?"
        ),
    )
    assert got == expected, message


@task(4)
def test_generate_batch_is_greedy_whatever_the_models_generation_config(kata, causal_lm, causal_lm_reference):
    prompts, max_new_tokens = ["Hello world", UNKNOWN_PROMPT], 8
    expected = [greedy_continuation(causal_lm_reference, prompt, max_new_tokens) for prompt in prompts]
    called, got = batch_output(kata, sampling_by_default(causal_lm), prompts, max_new_tokens, expected)
    assert got == expected, mismatch(called, got, expected, _(GREEDY_WHATEVER_THE_CONFIG))


@task(4)
def test_right_padding_is_not_what_batched_generation_gives(kata, gpt2, gpt2_dir, gpt2_reference):
    prompts, max_new_tokens = ["Hello world", "The quick brown fox jumps over"], 16
    expected = [greedy_continuation(gpt2_reference, prompt, max_new_tokens) for prompt in prompts]
    called, got = batch_output(kata, gpt2, prompts, max_new_tokens)
    right_padded = right_padded_continuations(gpt2_dir, gpt2_reference.model, prompts, max_new_tokens)
    assert right_padded != expected, "the zoo model no longer shows what right padding does"
    eos = gpt2_reference.tokenizer.eos_token
    assert not any(eos in text for text in got), _(
        "{call} returned {got}: the first prompt ends with {token} and its row is then padded with it. "
        "Did you decode with skip_special_tokens=True?",
        call=called,
        got=got,
        token=eos,
    )
    advice = (
        _(
            "This is what right padding gives: the shorter prompt's row ends in padding, and generate() continues "
            "from there. On which side must a decoder's padding go?"
        )
        if got == right_padded
        else _("Is the padding on the left, and the attention mask passed to generate()?")
    )
    assert got == expected, mismatch(called, got, expected, advice)
