"""Kata 13, configs: sizes come from the config, from_config is random, a saved folder reloads unchanged.

The encoder tests run on two encoder sizes, so a size copied from one model's numbers shows; the config and
architecture tests run on both causal LMs of the zoo too (GPT-2 names its hidden size n_embd, Llama is neither).
"""

import copy
import shutil

import pytest
from hypothesis import example, given

from katakit.explain import call, loaded_model_problem, mismatch, structure_problem, tensor_problem, wrong_type
from katakit.fixtures import Loaded
from katakit.i18n import _
from katakit.reference import encoder_outputs, last_hidden_state_shape, same_weights
from katakit.strategies import batch_sizes, text_batches, token_counts
from katakit.unchanged import keep

task = pytest.mark.task
# The zoo builds its encoder from seed 0: under another seed, fresh weights never equal the saved ones by chance.
FRESH_SEED = 1234
PIPELINE_TASKS = [
    "text-generation",
    "feature-extraction",
    "text-classification",
    "token-classification",
    "fill-mask",
    "image-classification",
]


def check_features_shape(kata, folder, reference, batch_size, num_tokens):
    called = call("features_shape", str(folder), batch_size, num_tokens)
    got = kata.features_shape(folder, batch_size, num_tokens)
    problem = wrong_type(got, tuple, called, _("Return the three sizes as a tuple."))
    assert problem is None, problem
    expected = last_hidden_state_shape(reference, batch_size, num_tokens)
    problem = structure_problem(got, expected, called)
    assert problem is None, problem + " " + _("The statement promises a tuple of three Python ints.")
    assert got == expected, mismatch(
        called,
        got,
        expected,
        _(
            "Expected the shape of AutoModel's last_hidden_state: (batch, tokens, hidden size). "
            "Did you read the hidden size from the folder's config, rather than write a number of your own?"
        ),
    )


@task(1)
@given(batch_size=batch_sizes(), num_tokens=token_counts())
@example(batch_size=2, num_tokens=5)
def test_features_shape_is_the_shape_of_the_last_hidden_state(
    kata, encoder_dir, encoder_reference, batch_size, num_tokens
):
    check_features_shape(kata, encoder_dir, encoder_reference, batch_size, num_tokens)


@task(1)
def test_features_shape_reads_the_config_of_any_architecture(kata, causal_lm_dir, causal_lm_reference):
    # A GPT2Config, whose own name for the hidden size is n_embd, and a LlamaConfig.
    check_features_shape(kata, causal_lm_dir, causal_lm_reference, 3, 5)


@task(1)
def test_features_shape_needs_the_config_alone(kata, encoder_dir, encoder_reference, tmp_path):
    shutil.copy(encoder_dir / "config.json", tmp_path / "config.json")
    try:
        check_features_shape(kata, tmp_path, encoder_reference, 2, 7)
    except OSError as error:
        pytest.fail(
            _(
                "features_shape on a folder that holds only config.json failed: {error}\n"
                "Did you load the whole model to read its config? Which Auto class reads the config alone?",
                error=error,
            ),
            pytrace=False,
        )


def fresh_model_of(kata, encoder_dir):
    import torch

    with torch.random.fork_rng(devices=[]):  # seeded here, without changing the seed of the tests that follow
        torch.manual_seed(FRESH_SEED)
        return kata.fresh_model(encoder_dir)


@task(2)
def test_fresh_model_has_the_saved_architecture(kata, encoder_dir, encoder_reference):
    called = call("fresh_model", str(encoder_dir))
    model = fresh_model_of(kata, encoder_dir)
    expected_class = type(encoder_reference.model).__name__
    assert type(model).__name__ == expected_class, _(
        "{call} gave a {got}; expected {expected}, the bare model the folder's config "
        "describes. Which Auto class builds a model without a task head?",
        call=called,
        got=type(model).__name__,
        expected=expected_class,
    )
    got = {name: tuple(tensor.shape) for name, tensor in model.state_dict().items()}
    expected = {name: tuple(tensor.shape) for name, tensor in encoder_reference.model.state_dict().items()}
    different = sorted(name for name in expected if got.get(name) != expected[name])
    assert not different, _(
        "{call} gave a model whose {parameter} has shape {got}; the saved model's has "
        "{expected}. Did you build it from the folder's config, rather than from default or "
        "hand-written sizes?",
        call=called,
        parameter=different[0],
        got=got.get(different[0]),
        expected=expected[different[0]],
    )


@task(2)
def test_fresh_model_is_the_bare_model_of_any_architecture(kata, causal_lm_dir, causal_lm_reference):
    called = call("fresh_model", str(causal_lm_dir))
    model = fresh_model_of(kata, causal_lm_dir)
    bare = causal_lm_reference.model.base_model  # what AutoModel.from_pretrained(folder) builds: no LM head
    assert type(model).__name__ == type(bare).__name__, _(
        "{call} gave a {got}; expected {expected}, the bare model of the "
        "architecture the folder's config names (model_type={model_type}). Do you name an "
        "architecture's classes yourself, where an Auto class would read it from the config?",
        call=called,
        got=type(model).__name__,
        expected=type(bare).__name__,
        model_type=repr(bare.config.model_type),
    )
    got = {name: tuple(tensor.shape) for name, tensor in model.state_dict().items()}
    expected = {name: tuple(tensor.shape) for name, tensor in bare.state_dict().items()}
    assert got == expected, mismatch(
        _("{call}: parameter shapes", call=called),
        got,
        expected,
        _("Expected the saved architecture's parameters: build it from the folder's config."),
    )


@task(2)
def test_fresh_model_has_new_random_weights(kata, encoder_dir, encoder_reference):
    model = fresh_model_of(kata, encoder_dir)
    message = _(
        "{call} gave a model with the saved weights. from_pretrained "
        "loads them: which method builds a model from its config alone, with fresh weights?",
        call=call("fresh_model", str(encoder_dir)),
    )
    assert not same_weights(model, encoder_reference.model), message


@pytest.fixture
def trained_encoder(encoder_dir):
    """An encoder whose weights exist only in memory, as after training: random, in eval mode."""
    import torch
    from transformers import AutoConfig, AutoModel, AutoTokenizer

    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(FRESH_SEED)
        model = AutoModel.from_config(AutoConfig.from_pretrained(encoder_dir)).eval()
    return Loaded(AutoTokenizer.from_pretrained(encoder_dir), model)


def reloaded_pair(kata, trained, folder):
    called = call("save_and_reload", trained.tokenizer, trained.model, str(folder))
    pair = kata.save_and_reload(trained.tokenizer, trained.model, folder)
    problem = wrong_type(pair, tuple, called, _("Return the two objects as a pair: (tokenizer, model)."))
    assert problem is None and len(pair) == 2, problem or _(
        "{call} returned {count} items; expected 2.", call=called, count=len(pair)
    )
    assert pair[0] is not trained.tokenizer and pair[1] is not trained.model, _(
        "{call} returned the objects it was given; expected new ones, loaded back from the folder.", call=called
    )
    return called, Loaded(*pair)


@task(3)
def test_save_and_reload_gives_a_model_that_computes_the_same(kata, trained_encoder, encoder_reference, tmp_path):
    original = Loaded(encoder_reference.tokenizer, copy.deepcopy(trained_encoder.model))  # the learner never sees it
    kept = keep(model=trained_encoder.model)
    called, reloaded = reloaded_pair(kata, trained_encoder, tmp_path / "saved")
    problem = kept.changed(called)
    assert problem is None, problem
    problem = loaded_model_problem(
        reloaded.model,
        original.model,
        _("the model of {call}", call=called),
        _("the bare model (AutoModel) that was saved. Which Auto class loads it back?"),
    )
    assert problem is None, problem

    @given(texts=text_batches())
    @example(texts=["hi", "the quick brown fox"])
    def reloaded_model_computes_what_the_saved_one_did(texts):
        problem = tensor_problem(
            encoder_outputs(reloaded, texts).last_hidden_state,
            encoder_outputs(original, texts).last_hidden_state,
            _("the model of {call}, on {texts}", call=called, texts=repr(texts)),
            _("(batch, tokens, hidden_size)"),
            _(
                "The reloaded model must have the saved weights: did you load it with "
                "from_pretrained from the folder you saved into (from_config gives random ones)?"
            ),
        )
        assert problem is None, problem

    reloaded_model_computes_what_the_saved_one_did()


def architecture(config) -> dict:
    """A config's settings, less where it was loaded from."""
    return {key: value for key, value in config.to_dict().items() if key != "_name_or_path"}


@task(3)
def test_save_and_reload_leaves_a_folder_that_from_pretrained_can_load(
    kata, trained_encoder, encoder_reference, tmp_path
):
    from transformers import AutoConfig, AutoTokenizer

    folder = tmp_path / "saved"
    called, _reloaded = reloaded_pair(kata, trained_encoder, folder)
    saved = sorted(path.name for path in folder.iterdir()) if folder.is_dir() else []
    advice = _(
        "{call} left {saved} in the folder. Did you call save_pretrained on both the tokenizer and the model?",
        call=called,
        saved=saved,
    )
    assert (folder / "config.json").is_file() and (folder / "model.safetensors").is_file(), advice
    assert architecture(AutoConfig.from_pretrained(folder)) == architecture(trained_encoder.model.config), advice
    try:
        tokenizer = AutoTokenizer.from_pretrained(folder)
    except (OSError, ValueError) as error:
        pytest.fail(
            _("{advice}\nAutoTokenizer.from_pretrained on the folder failed: {error}", advice=advice, error=error),
            pytrace=False,
        )
    sample = "Hello world, 안녕"
    assert tokenizer(sample)["input_ids"] == encoder_reference.tokenizer(sample)["input_ids"], advice


@task(4)
@pytest.mark.parametrize("pipeline_task", PIPELINE_TASKS)
def test_auto_class_for_a_task_is_the_one_its_pipeline_loads(kata, pipeline_task):
    from transformers import AutoModel
    from transformers.pipelines import SUPPORTED_TASKS

    called = call("auto_class_for", pipeline_task)
    got = kata.auto_class_for(pipeline_task)
    assert isinstance(got, type), _(
        "{call} returned {type} {got}; expected a class, such as AutoModel itself, not its name.",
        call=called,
        type=type(got).__name__,
        got=repr(got),
    )
    expected = SUPPORTED_TASKS[pipeline_task]["pt"]  # the classes the library's own pipeline loads with
    advice = (
        _("AutoModel loads the bare model, without the head this task needs.")
        if got is AutoModel
        else _("Which head does this task put on top of the bare model?")
    )
    classes = expected[0].__name__
    for cls in expected[1:]:
        classes = _("{first} or {second}", first=classes, second=cls.__name__)
    message = _(
        "{call} returned {got}; the {task} pipeline loads its model with {classes}. {advice}",
        call=called,
        got=got.__name__,
        task=repr(pipeline_task),
        classes=classes,
        advice=advice,
    ).rstrip()
    assert got in expected, message
