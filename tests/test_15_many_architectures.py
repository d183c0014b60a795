"""Kata 15, many architectures: the same learner code gives the library's answers on GPT-2 and Llama alike.

The folders are the zoo's two causal LMs (the `causal_lm_dir` fixture runs each test on both). The Llama-style
one adds <|begin_of_text|>, ends generation at <|end_of_text|> or at a chat turn's <|end|>, and samples unless told
otherwise.
"""

import pytest
from hypothesis import example, given

from katakit.explain import call, mismatch, structure_problem, wrong_type
from katakit.fixtures import assert_every_end_id_reached
from katakit.i18n import _
from katakit.reference import end_ids, greedy_continuation, varies_with_seed
from katakit.strategies import new_token_counts, prompts

task = pytest.mark.task
SIZE_NAMES = ("hidden_size", "num_hidden_layers", "num_attention_heads", "vocab_size")


@task(1)
def test_architecture_is_the_class_the_auto_class_builds(kata, causal_lm_dir, causal_lm_reference):
    called = call("architecture", causal_lm_dir.name)
    got = kata.architecture(causal_lm_dir)
    problem = wrong_type(got, str, called, _("Return the class's name (its __name__), not the class or the model."))
    assert problem is None, problem
    expected = type(causal_lm_reference.model).__name__
    assert got == expected, mismatch(
        called,
        got,
        expected,
        _(
            "Let AutoModelForCausalLM pick the class from the folder's config, "
            "then report the class's name; don't name one yourself."
        ),
    )


@task(2)
def test_model_sizes_read_the_config_under_its_common_names(kata, causal_lm_dir, causal_lm_reference):
    called = call("model_sizes", causal_lm_dir.name)
    got = kata.model_sizes(causal_lm_dir)
    problem = wrong_type(got, dict, called)
    assert problem is None, problem
    config = causal_lm_reference.model.config
    expected = {name: getattr(config, name) for name in SIZE_NAMES}
    problem = structure_problem(got, expected, called)
    assert problem is None, problem + " " + _("The statement promises a dict of exactly these four keys, each an int.")
    assert got == expected, mismatch(
        called,
        got,
        expected,
        _(
            "Read them from AutoConfig.from_pretrained(folder) with the common names: "
            "every config answers to hidden_size, even GPT-2's (n_embd)."
        ),
    )


def check_greedy_continuation(kata, folder, reference, prompt, max_new_tokens, advice=""):
    called = call("greedy_continuation", folder.name, prompt, max_new_tokens)
    got = kata.greedy_continuation(folder, prompt, max_new_tokens)
    problem = wrong_type(got, str, called, _("Decode the new ids into a string with tokenizer.decode."))
    assert problem is None, problem
    expected = greedy_continuation(reference, prompt, max_new_tokens)
    assert got == expected, mismatch(
        called,
        got,
        expected,
        _(
            "{advice} Expected only the new text of generate(do_sample=False). Did you load "
            "with the Auto classes, cut the prompt's tokens off by their count (a Llama "
            "tokenizer adds a BOS token; a prompt may spell special tokens that decoding "
            "drops), and decode with skip_special_tokens=True?",
            advice=advice,
        ).lstrip(),
    )


@task(3)
@given(prompt=prompts(), max_new_tokens=new_token_counts())
@example(prompt="Hello world", max_new_tokens=12)
@example(prompt="zq", max_new_tokens=12)  # not in the corpus: sampling there would not repeat greedy
def test_greedy_continuation_equals_generate_on_every_architecture(
    kata, causal_lm_dir, causal_lm_reference, prompt, max_new_tokens
):
    check_greedy_continuation(kata, causal_lm_dir, causal_lm_reference, prompt, max_new_tokens)


@task(3)
def test_greedy_continuation_up_to_every_end_token(kata, causal_lm_dir, causal_lm_reference, causal_lm_end_prompts):
    assert_every_end_id_reached(causal_lm_reference, causal_lm_end_prompts)
    tokenizer = causal_lm_reference.tokenizer
    for end_id in end_ids(causal_lm_reference.model):
        prompt, tokens_to_the_end = causal_lm_end_prompts[end_id]
        check_greedy_continuation(
            kata,
            causal_lm_dir,
            causal_lm_reference,
            prompt,
            tokens_to_the_end + 3,
            _(
                "The greedy continuation of {prompt} ends with the special token "
                "{token}, which the new text must not show.",
                prompt=repr(prompt),
                token=tokenizer.convert_ids_to_tokens(end_id),
            ),
        )


@task(3)
def test_greedy_continuation_is_greedy_whatever_the_folders_generation_config(
    kata, causal_lm_dir, causal_lm_reference, tmp_path
):
    import shutil

    from transformers import GenerationConfig

    # A copy of the folder whose generation config samples hot, as many a hub model's samples: whatever the zoo's
    # seed made of the model, code that leaves decoding to the folder's defaults is then no longer greedy.
    folder = tmp_path / causal_lm_dir.name
    shutil.copytree(causal_lm_dir, folder)
    config = GenerationConfig.from_pretrained(folder)
    config.update(do_sample=True, temperature=3.0, top_k=0, top_p=1.0)
    config.save_pretrained(folder)
    for prompt in ("Hello world", "zq"):
        check_greedy_continuation(
            kata,
            folder,
            causal_lm_reference,
            prompt,
            8,
            _(
                "This folder's generation_config.json samples (do_sample=True, temperature=3.0): "
                "greedy decoding must be asked for, do_sample=False."
            ),
        )


@task(3)
def test_greedy_continuation_does_not_depend_on_the_random_seed(kata, causal_lm_dir):
    # A prompt it never saw: its continuation is not learned by heart, so sampling shows under a few seeds.
    called = call("greedy_continuation", causal_lm_dir.name, "zq", 12)
    message = _(
        "{call} gave different texts under different torch.manual_seed values: it samples. A folder's "
        "generation_config.json may ask for sampling (the Llama-style one does, do_sample=True): greedy "
        "decoding must be asked for, do_sample=False.",
        call=called,
    )
    assert not varies_with_seed(lambda: kata.greedy_continuation(causal_lm_dir, "zq", 12), seeds=range(6)), message
