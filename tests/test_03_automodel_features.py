"""Kata 3, AutoModel features: hidden states equal the library's, with shapes read from the config.

Every test runs on two encoder sizes, so a shape copied from one model's numbers shows.
"""

import pytest
from hypothesis import example, given, note

from katakit.explain import call, loaded_model_problem, mismatch, tensor_problem, wrong_type
from katakit.fixtures import loaded_and_changed
from katakit.i18n import N_, _
from katakit.reference import encoder_outputs
from katakit.strategies import prompts, text_batches
from katakit.unchanged import keep

task = pytest.mark.task
SHAPE = N_("(batch, sequence length, config.hidden_size)")
# Upper case, an apostrophe, punctuation and Korean: what the BERT tokenizer lowercases, splits or keeps whole.
MIXED_TEXTS = ["Hi!", "The quick brown fox jumps over the lazy dog. Isn't it?", "안녕, 'Hello' world"]
IN_MEMORY = N_("{call} on a model changed in memory (its input embeddings scaled by 3, nothing saved)")
IN_MEMORY_ADVICE = N_(
    "This model differs from the one saved in its folder, so its outputs differ too. Use the model "
    "you are given as it is: loading it again (from model.name_or_path) undoes the caller's change."
)


def assert_unchanged(kept, called):
    problem = kept.changed(called)
    assert problem is None, problem


@task(1)
def test_load_encoder_gives_the_bare_model_with_its_weights(kata, encoder_dir, encoder_reference):
    called = call("load_encoder", str(encoder_dir))
    pair = kata.load_encoder(encoder_dir)
    problem = wrong_type(pair, tuple, called, _("Return the two objects as a pair: (tokenizer, model)."))
    assert problem is None, problem
    tokenizer, model = pair
    expected_dtype = encoder_reference.model.dtype
    same_class = type(model) is type(encoder_reference.model)
    assert not same_class or model.dtype == expected_dtype, _(
        "{call} gave a model in {dtype}; the folder holds {saved_dtype} weights. Did you pass a dtype "
        'to from_pretrained? Without one (or with dtype="auto") the weights load as they were saved.',
        call=called,
        dtype=model.dtype,
        saved_dtype=expected_dtype,
    )
    problem = loaded_model_problem(
        model,
        encoder_reference.model,
        called,
        _("the encoder without a task head. Which Auto class loads just the backbone?"),
    )
    assert problem is None, problem
    got = dict(tokenizer(MIXED_TEXTS, padding=True))
    expected = dict(encoder_reference.tokenizer(MIXED_TEXTS, padding=True))
    assert got == expected, mismatch(
        _("{call}: its tokenizer on {texts} (padding=True)", call=called, texts=repr(MIXED_TEXTS)),
        got,
        expected,
        _(
            "Expected the tokenizer saved in the folder, every field the same: did you load it from model_dir "
            "with AutoTokenizer?"
        ),
    )


@task(2)
@given(text=prompts())
@example(text="Hugging Face is amazing!")
@example(text="Isn't it 'amazing', 허깅페이스?")
def test_embed_text_equals_the_last_hidden_state(kata, encoder, encoder_reference, text):
    called = call("embed_text", encoder.tokenizer, encoder.model, text)
    kept = keep(model=encoder.model)
    got = kata.embed_text(encoder.tokenizer, encoder.model, text)
    assert_unchanged(kept, called)
    expected = encoder_outputs(encoder_reference, [text]).last_hidden_state
    note(_("tokens: {tokens}", tokens=encoder_reference.tokenizer.tokenize(text)))
    problem = tensor_problem(
        got, expected, called, _(SHAPE), _("Is it last_hidden_state of the model's output, for the tokenized text?")
    )
    assert problem is None, problem


@task(2)
def test_embed_text_uses_the_model_it_is_given(kata, encoder_dir):
    mine, theirs = loaded_and_changed(encoder_dir, "AutoModel")
    text = MIXED_TEXTS[1]
    called = _(IN_MEMORY, call=call("embed_text", mine.tokenizer, mine.model, text))
    got = kata.embed_text(mine.tokenizer, mine.model, text)
    expected = encoder_outputs(theirs, [text]).last_hidden_state
    problem = tensor_problem(got, expected, called, _(SHAPE), _(IN_MEMORY_ADVICE))
    assert problem is None, problem


@task(3)
@given(texts=text_batches())
@example(texts=["hi", "the quick brown fox jumps over the lazy dog"])
@example(texts=MIXED_TEXTS)
def test_embed_batch_equals_the_padded_last_hidden_state(kata, encoder, encoder_reference, texts):
    texts = list(texts)  # the learner's own list: an explicit example's list is shared by every run of it
    called = call("embed_batch", encoder.tokenizer, encoder.model, texts)
    kept = keep(texts=texts, model=encoder.model)
    got = kata.embed_batch(encoder.tokenizer, encoder.model, texts)
    assert_unchanged(kept, called)
    expected = encoder_outputs(encoder_reference, texts).last_hidden_state
    note(_("lengths in tokens: {lengths}", lengths=[len(encoder_reference.tokenizer(t)["input_ids"]) for t in texts]))
    problem = tensor_problem(
        got,
        expected,
        called,
        _(SHAPE),
        _("Did you pad the batch (padding=True) and pass the attention_mask to the model?"),
    )
    assert problem is None, problem


@task(3)
def test_embed_batch_of_different_lengths_has_the_longest_length(kata, encoder):
    texts = ["hi", "the quick brown fox jumps over the lazy dog"]
    got = kata.embed_batch(encoder.tokenizer, encoder.model, texts)
    longest = max(len(encoder.tokenizer(text)["input_ids"]) for text in texts)
    expected_shape = (len(texts), longest, encoder.model.config.hidden_size)
    called = call("embed_batch", encoder.tokenizer, encoder.model, texts)
    shape = tuple(getattr(got, "shape", ()))
    assert shape == expected_shape, _(
        "{call} returned shape {shape}; expected {expected_shape} = {dimensions}. "
        "Did you pad the batch to its longest text?",
        call=called,
        shape=shape,
        expected_shape=expected_shape,
        dimensions=_(SHAPE),
    )


@task(3)
def test_embed_batch_uses_the_model_it_is_given_and_leaves_the_texts_alone(kata, encoder_dir):
    mine, theirs = loaded_and_changed(encoder_dir, "AutoModel")
    texts = list(MIXED_TEXTS)
    called = _(IN_MEMORY, call=call("embed_batch", mine.tokenizer, mine.model, texts))
    kept = keep(texts=texts)
    got = kata.embed_batch(mine.tokenizer, mine.model, texts)
    assert_unchanged(kept, called)
    expected = encoder_outputs(theirs, texts).last_hidden_state
    problem = tensor_problem(got, expected, called, _(SHAPE), _(IN_MEMORY_ADVICE))
    assert problem is None, problem


@task(4)
@given(text=prompts())
@example(text="Hugging Face is amazing!")
def test_all_hidden_states_has_one_per_layer_plus_embeddings(kata, encoder, encoder_reference, text):
    called = call("all_hidden_states", encoder.tokenizer, encoder.model, text)
    kept = keep(model=encoder.model)
    got = kata.all_hidden_states(encoder.tokenizer, encoder.model, text)
    assert_unchanged(kept, called)
    problem = wrong_type(
        got,
        (tuple, list),
        called,
        _(
            "Which field of the output holds every layer's states? "
            "It is a tuple of tensors, one per layer: keep it as it is, not stacked into one tensor."
        ),
    )
    assert problem is None, problem
    expected = encoder_outputs(encoder_reference, [text]).hidden_states
    layers = encoder_reference.model.config.num_hidden_layers
    assert len(got) == len(expected), _(
        "{call} returned {count} tensors; expected {expected} = config.num_hidden_layers ({layers}) "
        "+ 1 for the embeddings' output.",
        call=called,
        count=len(got),
        expected=len(expected),
        layers=layers,
    )
    for index, (mine, theirs) in enumerate(zip(got, expected, strict=True)):
        problem = tensor_problem(
            mine,
            theirs,
            f"{called}[{index}]",
            _(SHAPE),
            _("Did you pass output_hidden_states=True and return the model's hidden_states?"),
        )
        assert problem is None, problem


@task(4)
def test_last_of_all_hidden_states_is_the_last_hidden_state(kata, encoder, encoder_reference):
    text = "Hugging Face is amazing!"
    got = kata.all_hidden_states(encoder.tokenizer, encoder.model, text)
    last = encoder_outputs(encoder_reference, [text]).last_hidden_state
    called = call("all_hidden_states", encoder.tokenizer, encoder.model, text)
    problem = tensor_problem(
        got[-1],
        last,
        f"{called}[-1]",
        _(SHAPE),
        _("The last entry should be the final layer's output, the same as last_hidden_state."),
    )
    assert problem is None, problem


@task(4)
def test_all_hidden_states_use_the_model_it_is_given(kata, encoder_dir):
    mine, theirs = loaded_and_changed(encoder_dir, "AutoModel")
    text = MIXED_TEXTS[2]
    called = _(IN_MEMORY, call=call("all_hidden_states", mine.tokenizer, mine.model, text))
    got = kata.all_hidden_states(mine.tokenizer, mine.model, text)
    expected = encoder_outputs(theirs, [text]).hidden_states
    problem = wrong_type(got, (tuple, list), called, _("Return the model's hidden_states."))
    assert problem is None, problem
    assert len(got) == len(expected), _(
        "{call} returned {count} tensors; expected {expected}.", call=called, count=len(got), expected=len(expected)
    )
    for index, (mine_state, theirs_state) in enumerate(zip(got, expected, strict=True)):
        problem = tensor_problem(mine_state, theirs_state, f"{called}[{index}]", _(SHAPE), _(IN_MEMORY_ADVICE))
        assert problem is None, problem
