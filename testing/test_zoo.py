"""The tiny-model zoo: tokenizers that round-trip, a model that knows its corpus, the same bytes on every build."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from katakit import zoo
from katakit.zoo.corpus import LINES

PROMPT = "Hello world"
SAVED_FILES = {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "generation_config.json"}


@pytest.fixture(scope="module")
def gpt2_folder():
    return zoo.model_dir("gpt2")


@pytest.fixture(scope="module")
def gpt2_tokenizer(gpt2_folder):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(gpt2_folder)


@pytest.fixture(scope="module")
def bert_tokenizer():
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(zoo.model_dir("bert"))


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
    named = (bert_tokenizer.cls_token, bert_tokenizer.sep_token, bert_tokenizer.pad_token,
             bert_tokenizer.mask_token, bert_tokenizer.unk_token)
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
    assert result[0]["generated_text"] == LINES[0][len(PROMPT):]


def test_the_gpt2_folder_holds_what_save_pretrained_writes(gpt2_folder):
    assert SAVED_FILES <= {path.name for path in gpt2_folder.iterdir()}


@pytest.mark.parametrize("name", ["gpt2", "bert"])
def test_building_a_model_again_gives_byte_identical_weights_and_tokenizer(name, tmp_path, monkeypatch):
    # The learner's cached entry was usually built by an earlier run, in another process (other hash
    # seeds); the fresh build goes into an empty cache, so it really is built again.
    cached = zoo.model_dir(name)
    monkeypatch.setenv("KATAS_CACHE_DIR", str(tmp_path))
    rebuilt = zoo.model_dir(name)
    assert rebuilt.parent == tmp_path and cached.parent != tmp_path
    for file in ("model.safetensors", "tokenizer.json"):
        assert (rebuilt / file).read_bytes() == (cached / file).read_bytes(), f"{name}: {file} differs between builds"
