"""Kata 15, many architectures: the same learner code gives the library's answers on GPT-2 and Llama alike."""

import pytest
from hypothesis import example, given

from katakit.explain import call, mismatch, wrong_type
from katakit.fixtures import load
from katakit.reference import greedy_continuation
from katakit.strategies import new_token_counts, prompts

task = pytest.mark.task
ARCHITECTURES = ["gpt2", "llama"]
SIZE_NAMES = ("hidden_size", "num_hidden_layers", "num_attention_heads", "vocab_size")


@pytest.fixture(scope="session", params=ARCHITECTURES)
def causal_lm_dir(request):
    return request.getfixturevalue(f"{request.param}_dir")


@pytest.fixture(scope="session")
def causal_lm_reference(causal_lm_dir):
    return load(causal_lm_dir, "AutoModelForCausalLM")


@task(1)
def test_architecture_is_the_class_the_auto_class_builds(kata, causal_lm_dir, causal_lm_reference):
    called = call("architecture", causal_lm_dir.name)
    got = kata.architecture(causal_lm_dir)
    expected = type(causal_lm_reference.model).__name__
    assert got == expected, mismatch(called, got, expected,
                                     "Let AutoModelForCausalLM pick the class from the folder's config, "
                                     "then report the class's name; don't name one yourself.")


@task(2)
def test_model_sizes_read_the_config_under_its_common_names(kata, causal_lm_dir, causal_lm_reference):
    called = call("model_sizes", causal_lm_dir.name)
    got = kata.model_sizes(causal_lm_dir)
    problem = wrong_type(got, dict, called)
    assert problem is None, problem
    config = causal_lm_reference.model.config
    expected = {name: getattr(config, name) for name in SIZE_NAMES}
    assert got == expected, mismatch(called, got, expected,
                                     "Read them from AutoConfig.from_pretrained(folder) with the common names: "
                                     "every config answers to hidden_size, even GPT-2's (n_embd).")


@task(3)
@given(prompt=prompts(), max_new_tokens=new_token_counts())
@example(prompt="Hello world", max_new_tokens=12)
def test_greedy_continuation_equals_generate_on_every_architecture(kata, causal_lm_dir, causal_lm_reference,
                                                                   prompt, max_new_tokens):
    called = call("greedy_continuation", causal_lm_dir.name, prompt, max_new_tokens)
    got = kata.greedy_continuation(causal_lm_dir, prompt, max_new_tokens)
    problem = wrong_type(got, str, called, "Decode the new ids into a string with tokenizer.decode.")
    assert problem is None, problem
    expected = greedy_continuation(causal_lm_reference, prompt, max_new_tokens)
    assert got == expected, mismatch(called, got, expected,
                                     "Expected only the new text of generate(do_sample=False). Did you load with "
                                     "the Auto classes, cut the prompt's tokens off by their count (a Llama "
                                     "tokenizer adds a BOS token), and decode with skip_special_tokens=True?")
