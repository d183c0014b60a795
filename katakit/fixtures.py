"""Session fixtures of the tiny-model zoo, references the learner never touches, and fresh copies.

A test hands the learner's function *fresh* objects (`gpt2`, `gpt2_generator`, `encoder`), so
whatever a kata does to them cannot leak into another test, and computes the expected value with
the *reference* objects (`gpt2_reference`, `encoder_reference`), which no kata ever sees.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from katakit import model_folders, quiet, zoo
from katakit.plugin import kata_module_for
from katakit.zoo import ENCODER_SIZES
from katakit.zoo.cache import searched


def zoo_dir(name: str, **sizes) -> Path:
    """The folder of zoo model `name`, built with the zoo seed (`KATAS_ZOO_SEED`, see `katakit.zoo`)."""
    return model_folders.keep(zoo.model_dir(name, seed=zoo.zoo_seed(), **sizes))


class Loaded:
    """A tokenizer and a model loaded from one folder."""

    def __init__(self, tokenizer: Any, model: Any):
        self.tokenizer = tokenizer
        self.model = model

    def __repr__(self) -> str:  # short: hypothesis shows it in every falsifying example
        return f"<{type(self.model).__name__} and its tokenizer>"


def load(folder: Path, auto_model: str) -> Loaded:
    import transformers

    return Loaded(
        tokenizer=transformers.AutoTokenizer.from_pretrained(folder),
        model=getattr(transformers, auto_model).from_pretrained(folder),
    )


def text_generator(folder: Path, **kwargs):
    from transformers import pipeline

    return pipeline("text-generation", model=str(folder), **kwargs)


def task_pipeline(folder: Path, task: str):
    """The library's default pipeline of `task` on a zoo folder: a test's reference, never given to a kata."""
    from transformers import pipeline

    return pipeline(task, model=str(folder))


# The references made so far, kept for the whole process: a warm runner's parent makes them all before its
# runs (`warm_references`) and each child, a copy of it, takes them instead of loading them again. In any run,
# a session fixture whose parameter comes back (tests run in kata order, see katakit.plugin, so the encoder
# sizes and the two causal LMs alternate) finds its reference here instead of loading it again.
WARM_REFERENCES: dict[tuple, Any] = {}


def _made_by(make, folder: Path, *args) -> tuple:
    return (make.__name__, str(folder), *args)


def reference(make, folder: Path, *args):
    """`make(folder, *args)`, the object a session fixture keeps, made once per process."""
    key = _made_by(make, folder, *args)
    if key not in WARM_REFERENCES:
        WARM_REFERENCES[key] = make(folder, *args)
    return WARM_REFERENCES[key]


# The pristine objects fresh copies are made from, one per (make, folder, ...), never handed to anyone: a deep
# copy takes about 5 ms where loading a folder again takes 30-80 ms (a pipeline the most), and most kata tests
# take one or two. A copy is the object a load would give: same weights (tied ones still tied), config,
# generation config, eval mode, name_or_path and tokenizer, and shares nothing with another copy.
TEMPLATES: dict[tuple, Any] = {}


def fresh(make, folder: Path, *args):
    """An object of its own, as `make(folder, *args)` would make it, for a kata to use and change."""
    key = _made_by(make, folder, *args)
    if key not in TEMPLATES:
        TEMPLATES[key] = make(folder, *args)
    return copy.deepcopy(TEMPLATES[key])


def warm_references() -> Iterator[None]:
    """In the warm parent (katakit.runner.warmup): make every reference the session fixtures below keep, and
    the templates of the fresh objects (copies of them, made before any kata could touch one); one at a time,
    yielding after each."""
    made = [
        (load, zoo_dir("gpt2"), "AutoModelForCausalLM"),
        (text_generator, zoo_dir("gpt2")),
        *((load, zoo_dir("bert", **size), "AutoModel") for size in ENCODER_SIZES.values()),
        (load, zoo_dir("llama"), "AutoModelForCausalLM"),
        (text_generator, zoo_dir("llama")),
        (load, zoo_dir("bert"), "AutoModelForMaskedLM"),
        (load, zoo_dir("sentiment"), "AutoModelForSequenceClassification"),
        (load, zoo_dir("ner"), "AutoModelForTokenClassification"),
        (load_images, zoo_dir("vit"), "AutoModelForImageClassification"),
    ]
    for make, folder, *args in made:
        TEMPLATES[_made_by(make, folder, *args)] = copy.deepcopy(reference(make, folder, *args))
        yield
    # References only, no kata gets a copy: the tests' own pipelines and the values searched for on the zoo.
    for make, folder, *args in [
        (task_pipeline, zoo_dir("sentiment"), "text-classification"),
        (task_pipeline, zoo_dir("ner"), "token-classification"),
        (sampling_prompt, zoo_dir("gpt2")),
        (sampling_prompt, zoo_dir("llama")),
        (end_prompts, zoo_dir("gpt2")),
        (end_prompts, zoo_dir("llama")),
        (sampling_chat, zoo_dir("llama")),
    ]:
        reference(make, folder, *args)
        yield


@pytest.fixture(scope="session", autouse=True)
def _quiet_libraries(pytestconfig):
    if pytestconfig.getoption("katas_library_output"):
        quiet.let_libraries_speak()
    else:
        quiet.silence_libraries()


@pytest.fixture(scope="session", autouse=True)
def _library_imported(pytestconfig):
    """The library's import before the first kata test, not in it: seconds on a busy machine that would
    count against that test's time limit (fixture set-up does not)."""
    from katakit.plugin import RUN

    if pytestconfig.stash[RUN].task_of_test:
        from transformers import GenerationMixin, pipeline  # noqa: F401


@pytest.fixture(autouse=True)
def _restore_torch_globals(request):
    """torch's process-wide state as it was before each kata test, whatever the kata set.

    The fixtures hand the learner fresh objects, but a kata may also call `torch.set_grad_enabled(False)`,
    `torch.manual_seed`, `torch.set_num_threads` or `torch.set_default_dtype`: that must not change
    the outcome of the tests that follow.
    """
    if request.node.get_closest_marker("task") is None:  # the suite's own tests
        yield
        return
    import torch

    grad, threads, dtype, rng = (
        torch.is_grad_enabled(),
        torch.get_num_threads(),
        torch.get_default_dtype(),
        torch.get_rng_state(),
    )
    deterministic = torch.are_deterministic_algorithms_enabled()
    yield
    torch.set_grad_enabled(grad)
    torch.set_default_dtype(dtype)
    torch.set_rng_state(rng)
    if torch.get_num_threads() != threads:  # not free: only when a kata changed it
        torch.set_num_threads(threads)
    if torch.are_deterministic_algorithms_enabled() != deterministic:
        torch.use_deterministic_algorithms(deterministic)


@pytest.fixture(scope="module")
def kata(request):
    """The kata module this test file checks, loaded from the target folder (see `--solutions`), or
    a mutant of it (`--katas-mutants` parametrizes this fixture)."""
    return kata_module_for(request.config, request.path, getattr(request, "param", None))


@pytest.fixture(scope="session")
def gpt2_dir() -> Path:
    return zoo_dir("gpt2")


@pytest.fixture(scope="session")
def gpt2_reference(gpt2_dir) -> Loaded:
    return reference(load, gpt2_dir, "AutoModelForCausalLM")


@pytest.fixture
def gpt2(gpt2_dir) -> Loaded:
    return fresh(load, gpt2_dir, "AutoModelForCausalLM")


@pytest.fixture(scope="session", params=list(ENCODER_SIZES), ids=list(ENCODER_SIZES))
def encoder_dir(request) -> Path:
    return zoo_dir("bert", **ENCODER_SIZES[request.param])


@pytest.fixture(scope="session")
def encoder_reference(encoder_dir) -> Loaded:
    return reference(load, encoder_dir, "AutoModel")


@pytest.fixture
def encoder(encoder_dir) -> Loaded:
    return fresh(load, encoder_dir, "AutoModel")


class LoadedImages:
    """An image processor and an image model loaded from one folder."""

    def __init__(self, image_processor: Any, model: Any):
        self.image_processor = image_processor
        self.model = model

    def __repr__(self) -> str:
        return f"<{type(self.model).__name__} and its image processor>"


def load_images(folder: Path, auto_model: str) -> LoadedImages:
    import transformers

    return LoadedImages(
        image_processor=transformers.AutoImageProcessor.from_pretrained(folder),
        model=getattr(transformers, auto_model).from_pretrained(folder),
    )


@pytest.fixture(scope="session")
def llama_dir() -> Path:
    return zoo_dir("llama")


@pytest.fixture(scope="session")
def llama_reference(llama_dir) -> Loaded:
    return reference(load, llama_dir, "AutoModelForCausalLM")


@pytest.fixture
def llama(llama_dir) -> Loaded:
    return fresh(load, llama_dir, "AutoModelForCausalLM")


# Both causal LMs of the zoo, for the tasks that mean something on both. The Llama-style model is where
# learners' mistakes with real models show: it adds <|begin_of_text|>, ends at either of two ids (its
# generation config's eos_token_id is a list) and its generation config samples.
CAUSAL_LMS = ["gpt2", "llama"]


@pytest.fixture(scope="session", params=CAUSAL_LMS, ids=CAUSAL_LMS)
def causal_lm_dir(request) -> Path:
    return zoo_dir(request.param)


@pytest.fixture(scope="session")
def causal_lm_reference(causal_lm_dir) -> Loaded:
    return reference(load, causal_lm_dir, "AutoModelForCausalLM")


@pytest.fixture(scope="session")
def causal_lm_reference_generator(causal_lm_dir):
    return reference(text_generator, causal_lm_dir)


@pytest.fixture
def causal_lm(causal_lm_dir) -> Loaded:
    return fresh(load, causal_lm_dir, "AutoModelForCausalLM")


@pytest.fixture
def causal_lm_generator(causal_lm_dir):
    return fresh(text_generator, causal_lm_dir)


@pytest.fixture(scope="session")
def masked_lm_dir() -> Path:
    """The `bert` folder (its first size), loaded here with its masked-LM head."""
    return zoo_dir("bert")


@pytest.fixture(scope="session")
def masked_lm_reference(masked_lm_dir) -> Loaded:
    return reference(load, masked_lm_dir, "AutoModelForMaskedLM")


@pytest.fixture
def masked_lm(masked_lm_dir) -> Loaded:
    return fresh(load, masked_lm_dir, "AutoModelForMaskedLM")


@pytest.fixture(scope="session")
def sentiment_dir() -> Path:
    return zoo_dir("sentiment")


@pytest.fixture(scope="session")
def sentiment_reference(sentiment_dir) -> Loaded:
    return reference(load, sentiment_dir, "AutoModelForSequenceClassification")


@pytest.fixture
def sentiment(sentiment_dir) -> Loaded:
    return fresh(load, sentiment_dir, "AutoModelForSequenceClassification")


@pytest.fixture(scope="session")
def ner_dir() -> Path:
    return zoo_dir("ner")


@pytest.fixture(scope="session")
def ner_reference(ner_dir) -> Loaded:
    return reference(load, ner_dir, "AutoModelForTokenClassification")


@pytest.fixture
def ner(ner_dir) -> Loaded:
    return fresh(load, ner_dir, "AutoModelForTokenClassification")


@pytest.fixture(scope="session")
def vit_dir() -> Path:
    return zoo_dir("vit")


@pytest.fixture(scope="session")
def vit_reference(vit_dir) -> LoadedImages:
    return reference(load_images, vit_dir, "AutoModelForImageClassification")


@pytest.fixture
def vit(vit_dir) -> LoadedImages:
    return fresh(load_images, vit_dir, "AutoModelForImageClassification")


def loaded_and_changed(folder: Path, auto_model: str, count: int = 2) -> list[Loaded]:
    """`count` fresh copies of a zoo model, each with the same change made in memory only: its input embeddings
    scaled by 3. The learner's function gets one copy and the expected value comes from another, so a function
    that loads the model again from its folder (`model.name_or_path`) instead of using the one it is given
    returns other values."""
    import torch

    copies = [fresh(load, folder, auto_model) for _ in range(count)]
    with torch.no_grad():
        for loaded in copies:
            loaded.model.get_input_embeddings().weight.mul_(3.0)
    return copies


def relabelled_in_memory(loaded, renamed: dict[str, str], order: list[int]):
    """`loaded`, its labels renamed (`renamed`: old name -> new) and their ids reordered (the new id j is the old
    id `order[j]`), the rows of its `classifier` head to match, in memory only: the same model, which a config of
    its own names differently from the one saved in its folder."""
    import torch

    config = loaded.model.config
    before = [config.id2label[index] for index in range(config.num_labels)]
    head = loaded.model.classifier
    with torch.no_grad():
        head.weight.copy_(head.weight[list(order)])
        head.bias.copy_(head.bias[list(order)])
    config.id2label = {new: renamed[before[old]] for new, old in enumerate(order)}
    config.label2id = {name: index for index, name in config.id2label.items()}
    return loaded


# Values the tests derive from a reference model by searching the corpus or sampling (outside any test's time
# limit), kept like the references themselves: made once per process, by the warm parent ahead of its runs; and
# kept beside the zoo's cache entry (katakit.zoo.cache.searched), since they depend on nothing else.
SEARCH_CODE = [Path(__file__), Path(__file__).with_name("reference.py")]


def end_prompts(folder: Path) -> dict[int, tuple[str, int]]:
    from katakit.reference import prompts_ending_at_each_end_id

    def search() -> list:
        found = prompts_ending_at_each_end_id(reference(load, folder, "AutoModelForCausalLM"))
        return [[end_id, prompt, count] for end_id, (prompt, count) in found.items()]

    return {end_id: (prompt, count) for end_id, prompt, count in searched(folder, "end-prompts", search, SEARCH_CODE)}


def sampling_prompt(folder: Path) -> str:
    from katakit.reference import prompt_that_samples_apart

    return searched(
        folder,
        "sampling-prompt",
        lambda: prompt_that_samples_apart(reference(load, folder, "AutoModelForCausalLM")),
        SEARCH_CODE,
    )


def sampling_chat(folder: Path) -> list[dict]:
    from katakit.reference import chat_that_samples_apart

    return searched(
        folder,
        "sampling-chat",
        lambda: chat_that_samples_apart(reference(load, folder, "AutoModelForCausalLM")),
        SEARCH_CODE,
    )


@pytest.fixture(scope="session")
def causal_lm_end_prompts(causal_lm_dir) -> dict[int, tuple[str, int]]:
    """For each end id of the causal LM, a prompt whose greedy continuation ends there, and its new-token count
    (`katakit.reference.prompts_ending_at_each_end_id`)."""
    return copy.deepcopy(reference(end_prompts, causal_lm_dir))


@pytest.fixture(scope="session")
def causal_lm_unknown_prompt(causal_lm_dir) -> str:
    """A prompt on which the causal LM's sampling shows under the tests' seeds and most others."""
    return reference(sampling_prompt, causal_lm_dir)


@pytest.fixture(scope="session")
def gpt2_unknown_prompt(gpt2_dir) -> str:
    return reference(sampling_prompt, gpt2_dir)


@pytest.fixture
def llama_sampling_chat(llama_dir) -> list[dict]:
    """A chat of one question the chat model never saw, whose sampled replies differ under the tests' seeds: a
    copy of its own for each test (a kata may change the list it is given)."""
    return copy.deepcopy(reference(sampling_chat, llama_dir))


def assert_every_end_id_reached(reference, end_prompts: dict) -> None:
    """Fail loudly (never skip) when the zoo model ends no candidate prompt at one of its end ids."""
    from katakit.reference import end_ids

    missing = [reference.tokenizer.convert_ids_to_tokens(i) for i in end_ids(reference.model) if i not in end_prompts]
    assert not missing, (
        f"the zoo's {type(reference.model).__name__} (KATAS_ZOO_SEED={zoo.zoo_seed()}) ends no "
        f"corpus prompt at {missing} within 40 greedy tokens: the zoo no longer shows every end "
        "of generation. This is a fault of the course, not of your code."
    )
