"""Kata 3, AutoModel features: hidden states equal the library's, with shapes read from the config.

Every test runs on two encoder sizes, so a shape copied from one model's numbers shows.
"""

import pytest
from hypothesis import example, given, note

from katakit.explain import call, loaded_model_problem, tensor_problem, wrong_type
from katakit.reference import encoder_outputs
from katakit.strategies import prompts, text_batches

task = pytest.mark.task
SHAPE = "(batch, sequence length, config.hidden_size)"


@task(1)
def test_load_encoder_gives_the_bare_model_with_its_weights(kata, encoder_dir, encoder_reference):
    called = call("load_encoder", str(encoder_dir))
    pair = kata.load_encoder(encoder_dir)
    problem = wrong_type(pair, tuple, called, "Return the two objects as a pair: (tokenizer, model).")
    assert problem is None, problem
    tokenizer, model = pair
    problem = loaded_model_problem(model, encoder_reference.model, called,
                                   "the encoder without a task head. Which Auto class loads just the backbone?")
    assert problem is None, problem
    sample = "Hello world"
    assert tokenizer(sample)["input_ids"] == encoder_reference.tokenizer(sample)["input_ids"], (
        f"{called} gave a tokenizer that encodes {sample!r} differently from the one saved in the folder.")


@task(2)
@given(text=prompts())
@example(text="Hugging Face is amazing!")
def test_embed_text_equals_the_last_hidden_state(kata, encoder, encoder_reference, text):
    called = call("embed_text", encoder.tokenizer, encoder.model, text)
    got = kata.embed_text(encoder.tokenizer, encoder.model, text)
    expected = encoder_outputs(encoder_reference, [text]).last_hidden_state
    note(f"tokens: {encoder_reference.tokenizer.tokenize(text)}")
    problem = tensor_problem(got, expected, called, SHAPE,
                             "Is it last_hidden_state of the model's output, for the tokenized text?")
    assert problem is None, problem


@task(3)
@given(texts=text_batches())
@example(texts=["hi", "the quick brown fox jumps over the lazy dog"])
def test_embed_batch_equals_the_padded_last_hidden_state(kata, encoder, encoder_reference, texts):
    called = call("embed_batch", encoder.tokenizer, encoder.model, texts)
    got = kata.embed_batch(encoder.tokenizer, encoder.model, texts)
    expected = encoder_outputs(encoder_reference, texts).last_hidden_state
    note(f"lengths in tokens: {[len(encoder_reference.tokenizer(t)['input_ids']) for t in texts]}")
    problem = tensor_problem(got, expected, called, SHAPE,
                             "Did you pad the batch (padding=True) and pass the attention_mask to the model?")
    assert problem is None, problem


@task(3)
def test_embed_batch_of_different_lengths_has_the_longest_length(kata, encoder):
    texts = ["hi", "the quick brown fox jumps over the lazy dog"]
    got = kata.embed_batch(encoder.tokenizer, encoder.model, texts)
    longest = max(len(encoder.tokenizer(text)["input_ids"]) for text in texts)
    expected_shape = (len(texts), longest, encoder.model.config.hidden_size)
    called = call("embed_batch", encoder.tokenizer, encoder.model, texts)
    shape = tuple(getattr(got, "shape", ()))
    assert shape == expected_shape, (f"{called} returned shape {shape}; expected {expected_shape} = {SHAPE}. "
                                     "Did you pad the batch to its longest text?")


@task(4)
@given(text=prompts())
@example(text="Hugging Face is amazing!")
def test_all_hidden_states_has_one_per_layer_plus_embeddings(kata, encoder, encoder_reference, text):
    called = call("all_hidden_states", encoder.tokenizer, encoder.model, text)
    got = kata.all_hidden_states(encoder.tokenizer, encoder.model, text)
    problem = wrong_type(got, (tuple, list), called, "Which field of the output holds every layer's states?")
    assert problem is None, problem
    expected = encoder_outputs(encoder_reference, [text]).hidden_states
    layers = encoder_reference.model.config.num_hidden_layers
    assert len(got) == len(expected), (
        f"{called} returned {len(got)} tensors; expected {len(expected)} = config.num_hidden_layers ({layers}) "
        "+ 1 for the embeddings' output.")
    for index, (mine, theirs) in enumerate(zip(got, expected, strict=True)):
        problem = tensor_problem(mine, theirs, f"{called}[{index}]", SHAPE,
                                 "Did you pass output_hidden_states=True and return the model's hidden_states?")
        assert problem is None, problem


@task(4)
def test_last_of_all_hidden_states_is_the_last_hidden_state(kata, encoder, encoder_reference):
    text = "Hugging Face is amazing!"
    got = kata.all_hidden_states(encoder.tokenizer, encoder.model, text)
    last = encoder_outputs(encoder_reference, [text]).last_hidden_state
    called = call("all_hidden_states", encoder.tokenizer, encoder.model, text)
    problem = tensor_problem(got[-1], last, f"{called}[-1]", SHAPE,
                             "The last entry should be the final layer's output, the same as last_hidden_state.")
    assert problem is None, problem
