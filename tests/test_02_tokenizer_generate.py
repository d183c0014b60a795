"""Kata 2, tokenizer + generate: by hand, the learner gets exactly what the greedy pipeline gives, on both causal
LMs of the zoo (GPT-2-style, and Llama-style: a begin-of-text token, two end ids, a generation config that samples)."""

import pytest
import torch
from hypothesis import example, given, settings

from katakit.explain import call, loaded_model_problem, mismatch, tensor_problem, wrong_type
from katakit.fixtures import fresh, load, text_generator
from katakit.i18n import _
from katakit.reference import greedy_ids, varies_with_seed
from katakit.spy import record_calls
from katakit.strategies import new_token_counts, prompts
from katakit.unchanged import keep, keep_generation_config

task = pytest.mark.task
# The chat model answers these questions and ends its turn with <|end|>, one of its two end ids.
QUESTIONS = ("Who are you?", "What does a pipeline hide?", "How do katas teach?")


def loaded_pair(kata, folder):
    called = call("load_tokenizer_and_model", str(folder))
    pair = kata.load_tokenizer_and_model(folder)
    message = wrong_type(pair, tuple, called, _("Return the two objects as a pair: (tokenizer, model)."))
    assert message is None and len(pair) == 2, message or _(
        "{call} returned {count} items; expected 2.", call=called, count=len(pair)
    )
    return called, pair


@task(1)
@settings(max_examples=4)  # each example loads the pair again
@given(text=prompts())
@example(text="안녕하세요, 작은 언어 모델입니다. 🤗")
@example(text="Hello world")
def test_loaded_tokenizer_encodes_like_the_saved_one(kata, causal_lm_dir, causal_lm_reference, text):
    called, (tokenizer, _model) = loaded_pair(kata, causal_lm_dir)
    got = tokenizer(text)["input_ids"]
    expected = causal_lm_reference.tokenizer(text)["input_ids"]
    assert got == expected, mismatch(
        _("tokenizer({text}) after {call}", text=repr(text), call=called),
        got,
        expected,
        _("Did you load the tokenizer from the same folder with AutoTokenizer?"),
    )


@task(1)
def test_loaded_model_is_the_saved_causal_lm_ready_for_inference(kata, causal_lm_dir, causal_lm_reference):
    called, (_tokenizer, model) = loaded_pair(kata, causal_lm_dir)
    parameters = getattr(model, "parameters", None)
    dtype = next(parameters()).dtype if parameters else None
    expected_dtype = next(causal_lm_reference.model.parameters()).dtype
    assert dtype in (None, expected_dtype), _(
        "{call} gave a model with {dtype} weights; the folder holds {saved_dtype}. Load it as it was "
        "saved: no dtype=... (or torch_dtype=...) in from_pretrained.",
        call=called,
        dtype=dtype,
        saved_dtype=expected_dtype,
    )
    problem = loaded_model_problem(
        model,
        causal_lm_reference.model,
        called,
        _("the model with a language-modelling head. Which Auto class adds that head?"),
    )
    assert problem is None, problem


def encoding_problem(encoding, expected, called: str) -> str | None:
    """A message if `encoding` is not the tokenizer's whole output (a BatchEncoding) with `expected`'s fields."""
    from transformers import BatchEncoding

    problem = wrong_type(
        encoding,
        BatchEncoding,
        called,
        _("Return what calling the tokenizer gives, whole: not a dict, a tensor or a list of ids."),
    )
    if problem:
        return problem
    if sorted(encoding.keys()) != sorted(expected.keys()):
        return _(
            "{call} holds the fields {fields}; the tokenizer's output holds "
            "{expected_fields}. Return the tokenizer's whole output, nothing left out or added.",
            call=called,
            fields=sorted(encoding.keys()),
            expected_fields=sorted(expected.keys()),
        )
    for field in expected:
        problem = tensor_problem(
            encoding[field],
            expected[field],
            f"{called}[{field!r}]",
            _("(batch of 1, number of tokens)"),
            _('Lists are not tensors: did you pass return_tensors="pt"?'),
        )
        if problem:
            return problem
    return None


@task(2)
@given(prompt=prompts())
@example(prompt="Hello world")
def test_encode_prompt_gives_tensors_of_ids_and_attention_mask(kata, causal_lm, causal_lm_reference, prompt):
    called = call("encode_prompt", causal_lm.tokenizer, prompt)
    encoding = kata.encode_prompt(causal_lm.tokenizer, prompt)
    expected = causal_lm_reference.tokenizer(prompt, return_tensors="pt")
    problem = encoding_problem(encoding, expected, called)
    tokenizer = causal_lm_reference.tokenizer
    ids = encoding.get("input_ids") if hasattr(encoding, "get") else None
    begins = expected["input_ids"][0, 0] == tokenizer.bos_token_id
    if (
        problem
        and begins
        and isinstance(ids, torch.Tensor)
        and ids.numel()
        and ids.flatten()[0] != expected["input_ids"][0, 0]
    ):
        problem += " " + _(
            "This tokenizer starts every text with {token}, a special token, and your ids do "
            "not: did you pass add_special_tokens=False?",
            token=tokenizer.bos_token,
        )
    assert problem is None, problem


def pipeline_text(reference_generator, prompt, max_new_tokens) -> str:
    return reference_generator(prompt, do_sample=False, max_new_tokens=max_new_tokens)[0]["generated_text"]


@task(3)
@given(prompt=prompts(), max_new_tokens=new_token_counts())
@example(prompt="Hello world", max_new_tokens=12)
@example(prompt=QUESTIONS[0], max_new_tokens=16)  # the chat model ends its turn with <|end|>
def test_generate_text_equals_the_greedy_pipeline(
    kata, causal_lm, causal_lm_reference_generator, prompt, max_new_tokens
):
    called = call("generate_text", causal_lm.tokenizer, causal_lm.model, prompt, max_new_tokens)
    got = kata.generate_text(causal_lm.tokenizer, causal_lm.model, prompt, max_new_tokens)
    problem = wrong_type(got, str, called, _("Decode the ids into a string with tokenizer.decode."))
    assert problem is None, problem
    expected = pipeline_text(causal_lm_reference_generator, prompt, max_new_tokens)
    message = mismatch(
        called,
        got,
        expected,
        _(
            "Expected what pipeline(prompt, do_sample=False, max_new_tokens=...) returns. "
            "Did you decode the first sequence with skip_special_tokens=True, and limit max_new_tokens?"
        ),
    )
    assert got == expected, message


@task(3)
def test_generate_text_leaves_out_the_end_of_text_token(kata, causal_lm, causal_lm_reference):
    prompt = "Hello world"  # the model ends this corpus line with its end-of-text token within 20 tokens
    new_ids = greedy_ids(causal_lm_reference, prompt, 20)[0].tolist()
    assert causal_lm_reference.tokenizer.eos_token_id in new_ids, "the zoo model no longer ends its corpus lines"
    got = kata.generate_text(causal_lm.tokenizer, causal_lm.model, prompt, 20)
    called = call("generate_text", causal_lm.tokenizer, causal_lm.model, prompt, 20)
    problem = wrong_type(got, str, called, _("Decode the ids into a string with tokenizer.decode."))
    assert problem is None, problem
    tokenizer = causal_lm_reference.tokenizer
    for special in dict.fromkeys(token for token in (tokenizer.bos_token, tokenizer.eos_token) if token):
        message = _(
            "{call} returned {got}, which holds {token}. The pipeline drops special tokens when it "
            "decodes: did you pass skip_special_tokens=True?",
            call=called,
            got=repr(got),
            token=special,
        )
        assert special not in got, message


def generate_ids(calls: list[dict]):
    """The prompt ids the last recorded generate() call got, however they were passed."""
    kwargs, args = calls[-1]["kwargs"], calls[-1]["args"]
    return kwargs.get("input_ids", kwargs.get("inputs", args[0] if args else None))


@task(3)
def test_generate_text_passes_the_whole_encoding_to_generate(kata, causal_lm, causal_lm_reference):
    prompt = "Hello world"
    calls = record_calls(causal_lm.model, "generate")
    called = call("generate_text", causal_lm.tokenizer, causal_lm.model, prompt, 4)
    kata.generate_text(causal_lm.tokenizer, causal_lm.model, prompt, 4)
    assert calls, _("{call} never called model.generate: the task is to generate with the model itself.", call=called)
    kwargs = calls[-1]["kwargs"]
    message = _(
        "model.generate was called with {arguments} but no attention_mask. Pass the whole "
        "tokenizer output (model.generate(**inputs, ...)): without the mask, generate cannot tell "
        "padding from text.",
        arguments=sorted(kwargs),
    )
    assert kwargs.get("attention_mask") is not None, message
    got = generate_ids(calls)
    expected = causal_lm_reference.tokenizer(prompt, return_tensors="pt")["input_ids"]
    shown = got.tolist() if isinstance(got, torch.Tensor) else got
    assert isinstance(got, torch.Tensor) and torch.equal(got, expected), mismatch(
        _("the input_ids {call} gave model.generate", call=called),
        shown,
        expected.tolist(),
        _(
            "Expected the prompt's ids as tokenizer(prompt, return_tensors='pt') makes them, special tokens included "
            "(this tokenizer starts a text with {token}).",
            token=causal_lm_reference.tokenizer.bos_token,
        ),
    )


@task(3)
def test_generate_text_stops_at_either_end_id_of_the_model(
    kata, causal_lm, causal_lm_reference, causal_lm_reference_generator
):
    end_ids = causal_lm_reference.model.generation_config.eos_token_id
    end_ids = end_ids if isinstance(end_ids, list) else [end_ids]
    max_new_tokens = 24
    for prompt in QUESTIONS:  # the first that the model answers and ends before max_new_tokens
        new_ids = greedy_ids(causal_lm_reference, prompt, max_new_tokens)[0].tolist()[
            len(causal_lm_reference.tokenizer(prompt)["input_ids"]) :
        ]
        if new_ids and new_ids[-1] in end_ids and len(new_ids) < max_new_tokens:
            break
    called = call("generate_text", causal_lm.tokenizer, causal_lm.model, prompt, max_new_tokens)
    got = kata.generate_text(causal_lm.tokenizer, causal_lm.model, prompt, max_new_tokens)
    expected = pipeline_text(causal_lm_reference_generator, prompt, max_new_tokens)
    assert got == expected, mismatch(
        called,
        got,
        expected,
        _(
            "The model's generation config ends a generation at any of the ids {end_ids}; the greedy pipeline stopped "
            "after {count} new tokens. Did you pass eos_token_id (or a generation config) that replaces the "
            "model's own end ids?",
            end_ids=end_ids,
            count=len(new_ids),
        ),
    )


@task(3)
def test_generate_text_does_not_depend_on_the_random_seed(kata, causal_lm, causal_lm_unknown_prompt):
    prompt = causal_lm_unknown_prompt
    called = call("generate_text", causal_lm.tokenizer, causal_lm.model, prompt, 16)
    message = _(
        "{call} gave different texts under different torch.manual_seed values: it samples. "
        "generate() follows the model's generation_config (here "
        "do_sample={do_sample}) unless the call passes do_sample=False.",
        call=called,
        do_sample=causal_lm.model.generation_config.do_sample,
    )

    def generated():
        return kata.generate_text(causal_lm.tokenizer, causal_lm.model, prompt, 16)

    assert not varies_with_seed(generated, seeds=range(6)), message


def negated_output_embeddings(model):
    """`model` changed in memory: its output embeddings negated, so that greedy picks what it found least likely."""
    with torch.no_grad():
        model.get_output_embeddings().weight.neg_()
    return model


@task(3)
def test_generate_text_uses_the_model_it_is_given(kata, causal_lm, causal_lm_dir, causal_lm_reference_generator):
    from transformers import pipeline

    prompt, max_new_tokens = "Hello world", 8
    model = negated_output_embeddings(causal_lm.model)
    changed = fresh(load, causal_lm_dir, "AutoModelForCausalLM")
    reference_generator = pipeline(
        "text-generation", model=negated_output_embeddings(changed.model), tokenizer=changed.tokenizer
    )
    called = call("generate_text", causal_lm.tokenizer, model, prompt, max_new_tokens)
    got = kata.generate_text(causal_lm.tokenizer, model, prompt, max_new_tokens)
    expected = pipeline_text(reference_generator, prompt, max_new_tokens)
    assert got == expected, mismatch(
        _("{call}, on a model whose output embeddings were changed in memory", call=called),
        got,
        expected,
        _(
            "Expected the greedy text of the model you were given, as it is now: did you load the model again from "
            "its folder (model.name_or_path) instead of using the one passed in?"
        ),
    )


@task(3)
def test_generate_text_leaves_the_model_alone(kata, causal_lm):
    kept, kept_config = keep(model=causal_lm.model), keep_generation_config(causal_lm.model)
    called = call("generate_text", causal_lm.tokenizer, causal_lm.model, "Hello world", 8)
    kata.generate_text(causal_lm.tokenizer, causal_lm.model, "Hello world", 8)
    for problem in (kept.changed(called), kept_config.changed(called)):
        assert problem is None, problem


@task(4)
@pytest.mark.parametrize("pipeline_options", [{}, {"do_sample": False}], ids=["defaults", "built-greedy"])
def test_pipeline_samples_by_default_matches_the_experiment(kata, gpt2_dir, gpt2_unknown_prompt, pipeline_options):
    prompt = gpt2_unknown_prompt  # sampling continues it differently under any two seeds: any experiment sees it
    learner_generator = text_generator(gpt2_dir, **pipeline_options)
    reference_generator = text_generator(gpt2_dir, **pipeline_options)
    got = kata.pipeline_samples_by_default(learner_generator, prompt)
    expected = varies_with_seed(lambda: reference_generator(prompt, max_new_tokens=20)[0]["generated_text"])
    called = call("pipeline_samples_by_default", f"pipeline('text-generation', {pipeline_options})", prompt)
    problem = wrong_type(got, bool, called)
    assert problem is None, problem
    verdict = (
        _("{call} returned {got}; the pipeline does sample.", call=called, got=got)
        if expected
        else _("{call} returned {got}; the pipeline does not sample.", call=called, got=got)
    )
    message = (
        verdict
        + " "
        + _(
            "Did you run it under several torch.manual_seed values and compare the texts? "
            "The model's own generation_config is not what the pipeline uses by default."
        )
    )
    assert got == expected, message
