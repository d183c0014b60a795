"""Kata 14, chat templates and streaming: the learner's prompt, ids, reply and streamed chunks equal the chat
template's and generate's on the tiny Llama-style chat model.

Streaming runs generate() in a thread: every streamer gets a timeout and every thread a test starts is joined,
so a wrong solution fails instead of hanging, and nothing is left running after a test.
"""

import copy
import queue
import threading

import pytest
import torch
from hypothesis import Phase, example, given, note, settings

from katakit.explain import call, mismatch, tensor_problem, wrong_type
from katakit.i18n import _
from katakit.reference import chat_prompt_ids, greedy_chat_reply, varies_with_seed
from katakit.spy import record_calls
from katakit.strategies import chats, few_new_token_counts
from katakit.unchanged import keep, keep_generation_config
from katakit.zoo.corpus import CHATS

task = pytest.mark.task
STREAM_TIMEOUT_S = 5
# Another family's format: a prompt written by hand for the course's template cannot match it.
OTHER_TEMPLATE = (
    "{% for message in messages %}{{ '### ' + message['role'] + ': ' + message['content'] + '\\n' }}"
    "{% endfor %}{% if add_generation_prompt %}{{ '### assistant: ' }}{% endif %}"
)


def asks(question: str) -> list[dict]:
    return [{"role": "user", "content": question}]


def rendered(reference, messages, **kwargs) -> str:
    return reference.tokenizer.apply_chat_template(messages, tokenize=False, **kwargs)


def check_prompt(called: str, got, expected: str, without_generation_prompt: str) -> None:
    problem = wrong_type(
        got,
        str,
        called,
        _("Return the rendered prompt as a string: which option stops the chat template from tokenizing?"),
    )
    assert problem is None, problem
    advice = _("Expected the tokenizer's chat template applied to the messages, the assistant's turn opened.")
    if got == without_generation_prompt:
        advice = _(
            "The prompt does not open the assistant's turn, so the model would first have to write the "
            "assistant's role tokens itself. Which apply_chat_template option adds them?"
        )
    assert got == expected, mismatch(called, got, expected, advice)


@task(1)
@given(messages=chats())
@example(messages=asks("Who are you?"))
def test_chat_prompt_is_the_chat_template_with_the_generation_prompt(kata, llama, llama_reference, messages):
    messages = copy.deepcopy(messages)  # an @example's list is shared by every run (and mutant): each its own
    called = call("chat_prompt", llama.tokenizer, messages)
    kept = keep(messages=messages)
    got = kata.chat_prompt(llama.tokenizer, messages)
    problem = kept.changed(called)
    assert problem is None, problem
    check_prompt(
        called,
        got,
        rendered(llama_reference, messages, add_generation_prompt=True),
        rendered(llama_reference, messages),
    )


@task(1)
def test_chat_prompt_follows_the_tokenizers_own_template(kata, llama, llama_reference):
    messages = [
        {"role": "user", "content": "Hi"},
        {"role": "assistant", "content": "Hello"},
        {"role": "user", "content": "Who are you?"},
    ]
    llama.tokenizer.chat_template = OTHER_TEMPLATE
    called = call("chat_prompt", llama.tokenizer, messages)
    got = kata.chat_prompt(llama.tokenizer, messages)
    expected = rendered(llama_reference, messages, chat_template=OTHER_TEMPLATE, add_generation_prompt=True)
    check_prompt(
        _("{call} with another chat template on the tokenizer", call=called),
        got,
        expected,
        rendered(llama_reference, messages, chat_template=OTHER_TEMPLATE),
    )


@task(2)
@given(messages=chats())
@example(messages=asks("Who are you?"))
def test_chat_prompt_ids_are_the_chat_templates_tokens(kata, llama, llama_reference, messages):
    messages = copy.deepcopy(messages)  # an @example's list is shared by every run (and mutant): each its own
    called = call("chat_prompt_ids", llama.tokenizer, messages)
    kept = keep(messages=messages)
    got = kata.chat_prompt_ids(llama.tokenizer, messages)
    problem = kept.changed(called) or wrong_type(
        got, torch.Tensor, called, _("Return the ids as a tensor of shape (1, number of tokens).")
    )
    assert problem is None, problem
    expected = chat_prompt_ids(llama_reference, messages)
    tokens = llama_reference.tokenizer.convert_ids_to_tokens
    note(_("expected tokens: {tokens}", tokens=tokens(expected[0])))
    advice = _("Expected the chat template's own tokenization of the prompt, the assistant's turn opened.")
    bos_id = llama_reference.tokenizer.bos_token_id
    if got.dim() == 2 and got.shape[1] > 1 and got[0, 0] == got[0, 1] == bos_id:
        advice = _(
            "Your ids start with {token} twice: the template writes it, and "
            "tokenizing the rendered text adds it again. Let apply_chat_template tokenize.",
            token=llama_reference.tokenizer.bos_token,
        )
    assert got.shape == expected.shape and torch.equal(got, expected), mismatch(
        called, got.tolist(), expected.tolist(), advice
    )
    problem = tensor_problem(
        got,
        expected,
        called,
        _("(batch of 1, number of tokens)"),
        _("Return the ids as the chat template's tokenization gives them, in a tensor."),
    )
    assert problem is None, problem


@task(3)
@given(messages=chats(), max_new_tokens=few_new_token_counts())
@example(messages=asks(CHATS[0][0]), max_new_tokens=40)
def test_chat_reply_is_the_new_text_of_greedy_generate_on_the_template(
    kata, llama, llama_reference, messages, max_new_tokens
):
    messages = copy.deepcopy(messages)  # an @example's list is shared by every run (and mutant): each its own
    called = call("chat_reply", llama.tokenizer, llama.model, messages, max_new_tokens)
    kept, kept_config = keep(messages=messages, model=llama.model), keep_generation_config(llama.model)
    got = kata.chat_reply(llama.tokenizer, llama.model, messages, max_new_tokens)
    problem = (
        kept.changed(called)
        or kept_config.changed(called)
        or wrong_type(got, str, called, _("Return the reply as a string."))
    )
    assert problem is None, problem
    expected = greedy_chat_reply(llama_reference, messages, max_new_tokens)
    advice = _(
        "Expected the text generate(do_sample=False, max_new_tokens=...) adds after the templated prompt "
        "(the assistant's turn opened), decoded with skip_special_tokens=True."
    )
    if expected and got.endswith(expected) and got != expected:
        advice = _("Your reply starts with the prompt: generate() returns the prompt's ids before the new ones.")
    assert got == expected, mismatch(called, got, expected, advice)


SEED_TEST_NEW_TOKENS = 12  # as katakit.reference.chat_that_samples_apart samples


@task(3)
def test_chat_reply_does_not_depend_on_the_random_seed(kata, llama, llama_sampling_chat):
    messages, max_new_tokens = llama_sampling_chat, SEED_TEST_NEW_TOKENS
    called = call("chat_reply", llama.tokenizer, llama.model, messages, max_new_tokens)
    message = _(
        "{call} gave different replies under different torch.manual_seed values: it samples. The chat "
        "model's generation_config asks for sampling (do_sample=True): did you pass do_sample=False?",
        call=called,
    )

    def reply():
        return kata.chat_reply(llama.tokenizer, llama.model, messages, max_new_tokens)

    assert not varies_with_seed(reply, seeds=range(8)), message


def generate_ids(recorded: dict):
    """The prompt ids a recorded generate() call got, however they were passed."""
    kwargs, args = recorded["kwargs"], recorded["args"]
    return kwargs.get("input_ids", kwargs.get("inputs", args[0] if args else None))


def check_ids_given_to_generate(called: str, given, llama_reference, messages) -> None:
    expected = chat_prompt_ids(llama_reference, messages)
    shown = given.tolist() if isinstance(given, torch.Tensor) else given
    advice = _(
        "Expected generate() to get the chat template's ids (task 2), the assistant's turn opened, "
        "{token} once at the start.",
        token=llama_reference.tokenizer.bos_token,
    )
    if (
        isinstance(given, torch.Tensor)
        and given.dim() == 2
        and given.shape[1] > 1
        and (given[0, 0] == given[0, 1] == llama_reference.tokenizer.bos_token_id)
    ):
        advice = _(
            "Your prompt ids start with {token} twice: the template writes it, "
            "and tokenizing the rendered text adds it again. Let apply_chat_template tokenize.",
            token=llama_reference.tokenizer.bos_token,
        )
    assert isinstance(given, torch.Tensor) and torch.equal(given, expected), mismatch(
        _("the input_ids {call} gave model.generate", call=called), shown, expected.tolist(), advice
    )


@task(3)
def test_chat_reply_generates_from_the_chat_templates_ids(kata, llama, llama_reference):
    messages = asks(CHATS[0][0])
    calls = record_calls(llama.model, "generate")
    called = call("chat_reply", llama.tokenizer, llama.model, messages, 4)
    kata.chat_reply(llama.tokenizer, llama.model, messages, 4)
    assert calls, _("{call} never called model.generate: the reply is what the model generates.", call=called)
    check_ids_given_to_generate(called, generate_ids(calls[-1]), llama_reference, messages)


@task(3)
def test_chat_reply_ends_at_the_end_of_the_assistants_turn(kata, llama, llama_reference):
    from katakit.zoo.chat_lm import END_OF_TURN

    end_of_turn = llama_reference.tokenizer.convert_tokens_to_ids(END_OF_TURN)
    max_new_tokens = 40
    for question, _answer in CHATS:  # the first question whose greedy reply ends with <|end|> before max_new_tokens
        messages = asks(question)
        prompt_ids = chat_prompt_ids(llama_reference, messages)
        with torch.no_grad():
            output = llama_reference.model.generate(
                input_ids=prompt_ids,
                attention_mask=torch.ones_like(prompt_ids),
                do_sample=False,
                max_new_tokens=max_new_tokens,
            )
        new_ids = output[0, prompt_ids.shape[1] :].tolist()
        if new_ids and new_ids[-1] == end_of_turn and len(new_ids) < max_new_tokens:
            break
    called = call("chat_reply", llama.tokenizer, llama.model, messages, max_new_tokens)
    got = kata.chat_reply(llama.tokenizer, llama.model, messages, max_new_tokens)
    expected = greedy_chat_reply(llama_reference, messages, max_new_tokens)
    end_ids = llama_reference.model.generation_config.eos_token_id
    advice = _(
        "The reply ends where the model writes {token}, after {count} new tokens: the model's "
        "generation config stops at any of the ids {end_ids}. Did you pass eos_token_id (the tokenizer's "
        "single end id) or a generation config that replaces the model's own end ids?",
        token=END_OF_TURN,
        count=len(new_ids),
        end_ids=end_ids,
    )
    assert got == expected, mismatch(called, got, expected, advice)


@pytest.fixture
def streams_time_out(monkeypatch):
    """A TextIteratorStreamer made without a timeout gets one: a streamer nobody feeds fails instead of hanging."""
    from transformers import TextIteratorStreamer

    make = TextIteratorStreamer.__init__

    def with_timeout(self, *args, timeout=None, **kwargs):
        make(self, *args, timeout=timeout or STREAM_TIMEOUT_S, **kwargs)

    monkeypatch.setattr(TextIteratorStreamer, "__init__", with_timeout)


def streamed(kata, llama, messages, max_new_tokens):
    """The learner's chunks, and the threads their generate() ran in; every thread it started is joined."""
    called = call("stream_reply", llama.tokenizer, llama.model, messages, max_new_tokens)
    generation_threads = []
    generate = llama.model.generate

    def recording_generate(*args, **kwargs):
        generation_threads.append(
            (threading.current_thread(), kwargs.get("streamer"), generate_ids({"args": args, "kwargs": kwargs}))
        )
        return generate(*args, **kwargs)

    llama.model.generate = recording_generate
    threads_before = set(threading.enumerate())
    kept, kept_config = keep(messages=messages), keep_generation_config(llama.model)
    try:
        chunks = kata.stream_reply(llama.tokenizer, llama.model, messages, max_new_tokens)
    except queue.Empty:
        pytest.fail(
            _(
                "{call}: the streamer waited {seconds} s for text that never came. Did generate() "
                "run, in a thread started before you iterate, with streamer=...?",
                call=called,
                seconds=STREAM_TIMEOUT_S,
            ),
            pytrace=False,
        )
    finally:
        for thread in set(threading.enumerate()) - threads_before:
            thread.join(STREAM_TIMEOUT_S)
    problem = (
        kept.changed(called)
        or kept_config.changed(called)
        or wrong_type(chunks, list, called, _("Return the chunks as a list of strings."))
    )
    assert problem is None, problem
    assert all(isinstance(chunk, str) for chunk in chunks), _(
        "{call} returned {chunks}: expected strings only.", call=called, chunks=repr(chunks)
    )
    return called, chunks, generation_threads


def check_joined_chunks(called: str, chunks: list[str], expected: str) -> None:
    joined = "".join(chunks)
    advice = _(
        "Expected the chunks to join into the greedy reply alone: a TextIteratorStreamer that skips the "
        "prompt and the special tokens, fed by generate(do_sample=False, max_new_tokens=...)."
    )
    if expected and joined.endswith(expected) and joined != expected:
        advice = _(
            "Your chunks start with the prompt: generate() hands the streamer the prompt's ids first. "
            "Which TextIteratorStreamer option leaves them out?"
        )
    assert joined == expected, mismatch(_("{call}: the chunks joined", call=called), joined, expected, advice)


@task(4)
# Each example runs generate() twice, once in a thread. No shrinking: a streamer nobody feeds costs
# STREAM_TIMEOUT_S per attempt.
@settings(max_examples=4, phases=[Phase.explicit, Phase.reuse, Phase.generate], report_multiple_bugs=False)
@given(messages=chats(), max_new_tokens=few_new_token_counts())
@example(messages=[{"role": "user", "content": "Hello world"}], max_new_tokens=6)
def test_stream_reply_chunks_join_into_the_greedy_reply(
    kata, llama, llama_reference, streams_time_out, messages, max_new_tokens
):
    messages = copy.deepcopy(messages)  # an @example's list is shared by every run (and mutant): each its own
    called, chunks, _threads = streamed(kata, llama, messages, max_new_tokens)
    note(_("chunks: {chunks}", chunks=chunks))
    check_joined_chunks(called, chunks, greedy_chat_reply(llama_reference, messages, max_new_tokens))


@task(4)
@pytest.mark.timeout(4 * STREAM_TIMEOUT_S)
def test_stream_reply_streams_chunks_from_generate_in_another_thread(kata, llama, llama_reference, streams_time_out):
    from transformers.generation.streamers import BaseStreamer

    messages, max_new_tokens = asks(CHATS[1][0]), 40
    called, chunks, generation_threads = streamed(kata, llama, messages, max_new_tokens)
    check_joined_chunks(called, chunks, greedy_chat_reply(llama_reference, messages, max_new_tokens))
    assert len([chunk for chunk in chunks if chunk]) > 1, _(
        "{call} returned {count} chunk(s): {chunks}. Expected the pieces a TextIteratorStreamer hands "
        "out while generate() runs: iterate over the streamer rather than return the whole text at once.",
        call=called,
        count=len(chunks),
        chunks=repr(chunks),
    )
    streamers = [streamer for _thread, streamer, _ids in generation_threads if isinstance(streamer, BaseStreamer)]
    assert streamers, _(
        "{call} never called model.generate(..., streamer=...): where do your chunks come from?", call=called
    )
    in_caller = [thread for thread, _streamer, _ids in generation_threads if thread is threading.current_thread()]
    assert not in_caller, _(
        "{call} ran generate() in the caller's thread: a chat interface would show nothing until the whole "
        "reply is done. Start generate() in a Thread, then iterate over the streamer while it runs.",
        call=called,
    )


@task(4)
@pytest.mark.timeout(8 * STREAM_TIMEOUT_S)
def test_stream_reply_does_not_depend_on_the_random_seed(
    kata, llama, llama_reference, streams_time_out, llama_sampling_chat
):
    messages, max_new_tokens = llama_sampling_chat, SEED_TEST_NEW_TOKENS
    replies = []

    def reply():
        called, chunks, generation_threads = streamed(kata, llama, messages, max_new_tokens)
        replies.append((called, generation_threads))
        return "".join(chunks)

    sampled = varies_with_seed(reply, seeds=range(6))
    called, generation_threads = replies[-1]
    assert not sampled, _(
        "{call} streamed different replies under different torch.manual_seed values: it samples. The chat model's "
        "generation_config asks for sampling (do_sample=True): did you pass do_sample=False to generate?",
        call=called,
    )
    assert generation_threads, _("{call} never called model.generate(..., streamer=...).", call=called)
    check_ids_given_to_generate(called, generation_threads[-1][2], llama_reference, messages)
