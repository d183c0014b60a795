"""The tiny-model zoo: tokenizers that round-trip, models that know their corpus, the same bytes on every build,
and other models, which say other things, from another zoo seed."""

from __future__ import annotations

import threading

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from katakit import zoo
from katakit.fixtures import ENCODER_SIZES, zoo_dir
from katakit.reference import same_weights
from katakit.strategies import colour_images
from katakit.zoo.cache import MANIFEST
from katakit.zoo.corpus import CHATS, LINES, NER_HELD_OUT, SENTIMENT_HELD_OUT

PROMPT = "Hello world"
TOKENIZER_FILES = {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"}
SAVED_FILES = {
    "gpt2": TOKENIZER_FILES | {"generation_config.json"},
    "llama": TOKENIZER_FILES | {"generation_config.json", "chat_template.jinja"},
    "bert": TOKENIZER_FILES,
    "sentiment": TOKENIZER_FILES,
    "ner": TOKENIZER_FILES,
    "vit": {"config.json", "model.safetensors", "preprocessor_config.json"},
}


@pytest.fixture(scope="module")
def gpt2_folder():
    return zoo_dir("gpt2")


@pytest.fixture(scope="module")
def gpt2_tokenizer(gpt2_folder):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(gpt2_folder)


@pytest.fixture(scope="module")
def bert_tokenizer():
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(zoo_dir("bert"))


@settings(max_examples=300, deadline=None)
@given(text=st.text())
@example(text=LINES[-1])  # Korean, from the corpus
@example(text="안녕, 세상! 모델")  # Korean the tokenizer never saw
@example(text=" leading and trailing spaces  ")
@example(text="do n't , say : hello . world ! ok ?")  # what clean_up_tokenization_spaces would rewrite
@example(text="tabs\tnew\nlines\r\n\x00 and 😀 emoji")
def test_the_gpt2_tokenizer_decodes_every_encoding_back_to_its_text(gpt2_tokenizer, text):
    assert gpt2_tokenizer.decode(gpt2_tokenizer.encode(text)) == text


def test_the_bert_tokenizer_has_the_five_special_tokens(bert_tokenizer):
    named = (
        bert_tokenizer.cls_token,
        bert_tokenizer.sep_token,
        bert_tokenizer.pad_token,
        bert_tokenizer.mask_token,
        bert_tokenizer.unk_token,
    )
    assert named == ("[CLS]", "[SEP]", "[PAD]", "[MASK]", "[UNK]")
    vocabulary = bert_tokenizer.get_vocab()
    ids = [vocabulary[token] for token in named]
    assert len(set(ids)) == 5, f"two special tokens share an id: {dict(zip(named, ids, strict=True))}"


def test_the_bert_tokenizer_wraps_text_in_cls_and_sep_and_keeps_mask_and_unk_whole(bert_tokenizer):
    tokens = bert_tokenizer.convert_ids_to_tokens(bert_tokenizer("Hello [MASK] ☃")["input_ids"])
    assert tokens == ["[CLS]", "hello", "[MASK]", "[UNK]", "[SEP]"]
    padded = bert_tokenizer(["hello", "hello world"], padding=True)["input_ids"]
    assert padded[0][-1] == bert_tokenizer.convert_tokens_to_ids("[PAD]")


def test_the_causal_lm_continues_hello_world_greedily_with_the_rest_of_its_corpus_line(gpt2_folder):
    from transformers import pipeline

    assert LINES[0].startswith(PROMPT)
    generator = pipeline("text-generation", model=str(gpt2_folder))
    result = generator(PROMPT, do_sample=False, max_new_tokens=24, return_full_text=False)
    assert result[0]["generated_text"] == LINES[0][len(PROMPT) :]


@pytest.mark.parametrize("name", sorted(SAVED_FILES))
def test_every_folder_holds_what_save_pretrained_writes(name):
    assert SAVED_FILES[name] <= {path.name for path in zoo_dir(name).iterdir()}


@pytest.mark.parametrize("name", sorted(SAVED_FILES))
def test_building_a_model_again_gives_byte_identical_files_and_prints_nothing(name, tmp_path, monkeypatch, capfd):
    # The learner's cached entry was usually built by an earlier run, in another process (other hash
    # seeds); the fresh build goes into an empty cache, so it really is built again.
    cached = zoo_dir(name)
    monkeypatch.setenv("KATAS_CACHE_DIR", str(tmp_path))
    capfd.readouterr()
    rebuilt = zoo_dir(name)
    printed = capfd.readouterr()
    assert printed.out == printed.err == "", f"building {name} printed: {printed.out + printed.err}"
    assert rebuilt.parent == tmp_path and cached.parent != tmp_path
    files = sorted(path.name for path in cached.iterdir() if path.name != MANIFEST)
    assert files == sorted(path.name for path in rebuilt.iterdir() if path.name != MANIFEST)
    for file in files:
        assert (rebuilt / file).read_bytes() == (cached / file).read_bytes(), f"{name}: {file} differs between builds"


# The Llama-style chat model.


@pytest.fixture(scope="module")
def llama_folder():
    return zoo_dir("llama")


@pytest.fixture(scope="module")
def llama_generator(llama_folder):
    from transformers import pipeline

    return pipeline("text-generation", model=str(llama_folder))


def test_the_chat_model_continues_hello_world_greedily_with_the_rest_of_its_corpus_line(llama_generator):
    result = llama_generator(PROMPT, do_sample=False, max_new_tokens=24, return_full_text=False)
    assert result[0]["generated_text"] == LINES[0][len(PROMPT) :]


@pytest.mark.parametrize(("question", "answer"), CHATS)
def test_the_chat_model_answers_its_chats_through_the_template(llama_generator, question, answer):
    result = llama_generator([{"role": "user", "content": question}], do_sample=False, max_new_tokens=40)
    assert result[0]["generated_text"][-1] == {"role": "assistant", "content": answer}


def test_the_chat_template_renders_each_turn_between_its_role_and_end_tokens(llama_generator):
    tokenizer = llama_generator.tokenizer
    messages = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]
    rendered = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    assert rendered == "<|begin_of_text|><|system|>\nBe brief.<|end|>\n<|user|>\nHi<|end|>\n<|assistant|>\n"
    ids = tokenizer.apply_chat_template(messages, add_generation_prompt=True)["input_ids"]
    assert ids == tokenizer(rendered, add_special_tokens=False)["input_ids"], "the template's bos was added twice"
    tokens = tokenizer.convert_ids_to_tokens(ids)
    for control in ("<|begin_of_text|>", "<|system|>", "<|user|>", "<|end|>", "<|assistant|>"):
        assert control in tokens, f"{control} is not one token: {tokens}"
    assert tokenizer("Hi")["input_ids"][0] == tokenizer.bos_token_id, "the tokenizer does not start text with bos"


def test_the_chat_template_refuses_an_unknown_role(llama_generator):
    with pytest.raises(Exception, match="roles are system, user and assistant"):
        llama_generator.tokenizer.apply_chat_template([{"role": "robot", "content": "Hi"}], tokenize=False)


def test_the_chat_model_streams_its_greedy_answer_through_a_text_iterator_streamer(llama_generator):
    from transformers import TextIteratorStreamer

    tokenizer, model = llama_generator.tokenizer, llama_generator.model
    inputs = tokenizer.apply_chat_template(
        [{"role": "user", "content": CHATS[0][0]}], add_generation_prompt=True, return_tensors="pt"
    )
    streamer = TextIteratorStreamer(tokenizer, skip_prompt=True, skip_special_tokens=True)
    worker = threading.Thread(
        target=model.generate, kwargs=dict(**inputs, streamer=streamer, do_sample=False, max_new_tokens=40)
    )
    worker.start()
    streamed = "".join(streamer)
    worker.join()
    assert streamed == CHATS[0][1]


def test_the_chat_model_generation_config_stops_at_end_of_text_or_of_turn_and_pads(llama_folder):
    from transformers import AutoTokenizer, GenerationConfig

    tokenizer = AutoTokenizer.from_pretrained(llama_folder)
    config = GenerationConfig.from_pretrained(llama_folder)
    assert config.eos_token_id == tokenizer.convert_tokens_to_ids(["<|end_of_text|>", "<|end|>"])
    assert config.pad_token_id == tokenizer.pad_token_id is not None


# BERT: a masked LM that AutoModel loads whole.


@pytest.mark.parametrize("sizes", list(ENCODER_SIZES.values()), ids=list(ENCODER_SIZES))
def test_the_masked_lm_ranks_every_masked_corpus_word_first(sizes):
    from transformers import pipeline

    fill_mask = pipeline("fill-mask", model=str(zoo_dir("bert", **sizes)))
    words_of = fill_mask.tokenizer.tokenize
    missed = []
    for line in LINES:
        words = words_of(line)
        for position, word in enumerate(words):
            masked = " ".join(words[:position] + [fill_mask.tokenizer.mask_token] + words[position + 1 :])
            best = fill_mask(masked)[0]["token_str"]
            if best != word:
                missed.append(f"{masked!r}: {best!r} instead of {word!r}")
    assert not missed, "\n".join(missed)


@pytest.mark.parametrize("auto_class", ["AutoModel", "AutoModelForMaskedLM"])
@pytest.mark.parametrize("sizes", list(ENCODER_SIZES.values()), ids=list(ENCODER_SIZES))
def test_the_bert_folder_loads_whole_every_time_pooler_and_head_included(sizes, auto_class):
    # A weight missing from the checkpoint would be initialised at random, differently on each load.
    import transformers

    folder = zoo_dir("bert", **sizes)
    first, second = (getattr(transformers, auto_class).from_pretrained(folder) for _ in range(2))
    assert same_weights(first, second), f"{auto_class} initialised some weights at random: the checkpoint lacks them"


# Classifiers.


@pytest.mark.parametrize(("sentence", "label"), SENTIMENT_HELD_OUT)
def test_the_sentiment_classifier_labels_obvious_held_out_sentences(sentence, label):
    from transformers import pipeline

    classifier = pipeline("text-classification", model=str(zoo_dir("sentiment")))
    assert classifier.model.config.id2label == {0: "NEGATIVE", 1: "POSITIVE"}
    assert classifier(sentence)[0]["label"] == label


@pytest.mark.parametrize(("sentence", "entities"), NER_HELD_OUT)
def test_the_ner_tagger_tags_people_and_places_it_never_saw(sentence, entities):
    from transformers import pipeline

    tagger = pipeline("token-classification", model=str(zoo_dir("ner")), aggregation_strategy="simple")
    found = tuple((entity["entity_group"], entity["word"]) for entity in tagger(sentence))
    assert found == entities


@pytest.fixture(scope="module")
def image_classifier():
    from transformers import pipeline

    return pipeline("image-classification", model=str(zoo_dir("vit")))


@settings(max_examples=30, deadline=None)
@given(drawn=colour_images())
def test_the_image_classifier_names_the_colour_of_a_freshly_drawn_image(image_classifier, drawn):
    image, colour = drawn
    assert image_classifier(image)[0]["label"] == colour


# Another zoo seed, as a grader would choose: other weights, other continuations, other probabilities.

UNSEEN_PROMPTS = ("zq", "The lazy", "Katas", "안녕", "Hello")  # mostly where the corpus does not decide the words
# Biases that start at zero and that no loss of the zoo reaches: BERT's pooler and next-sentence head.
UNTRAINED_ZEROS = {"bert.pooler.dense.bias", "cls.seq_relationship.bias"}


def unseen_input(name: str) -> tuple[str, object, dict]:
    """(pipeline task, an input that model `name` never trained on, the options that return every probability)."""
    from PIL import Image

    return {
        "bert": ("fill-mask", "[MASK] is it?", {}),
        "sentiment": ("text-classification", "the book", {"top_k": None}),
        "ner": ("token-classification", "x Ann y", {"ignore_labels": []}),
        # No colour dominates: the classifier hesitates.
        "vit": ("image-classification", Image.new("RGB", (32, 32), (120, 120, 120)), {"top_k": None}),
    }[name]


def other_seed_dir(name: str):
    """The folder of `name` built from the seed after the zoo seed."""
    return zoo.model_dir(name, seed=zoo.zoo_seed() + 1)


@pytest.mark.parametrize("name", sorted(SAVED_FILES))
def test_another_zoo_seed_gives_other_weights(name):
    import torch
    from safetensors.torch import load_file

    mine, other = (load_file(folder / "model.safetensors") for folder in (zoo_dir(name), other_seed_dir(name)))
    assert mine.keys() == other.keys()
    same = {key for key in mine if torch.equal(mine[key], other[key])}
    assert same <= UNTRAINED_ZEROS, f"{name}: the same weights under two seeds: {sorted(same - UNTRAINED_ZEROS)}"


def greedy_continuations(folder) -> list[str]:
    from transformers import pipeline

    generator = pipeline("text-generation", model=str(folder))
    return [
        generator(prompt, do_sample=False, max_new_tokens=8, return_full_text=False)[0]["generated_text"]
        for prompt in UNSEEN_PROMPTS
    ]


@pytest.mark.parametrize("name", ["gpt2", "llama"])
def test_another_zoo_seed_continues_some_prompts_otherwise(name):
    mine, other = greedy_continuations(zoo_dir(name)), greedy_continuations(other_seed_dir(name))
    assert mine != other, f"{name}: the same greedy continuations under two seeds: {mine}"


@pytest.mark.parametrize("name", ["bert", "ner", "sentiment", "vit"])
def test_another_zoo_seed_gives_other_probabilities(name):
    from transformers import pipeline

    task, unseen, options = unseen_input(name)
    probabilities = []
    for folder in (zoo_dir(name), other_seed_dir(name)):
        results = pipeline(task, model=str(folder))(unseen, **options)
        probabilities.append(
            [
                (
                    result.get("label") or result.get("token_str") or result.get("entity"),
                    round(float(result["score"]), 2),
                )
                for result in results
            ]
        )
    assert probabilities[0] != probabilities[1], f"{name}: the same probabilities under two seeds: {probabilities}"
