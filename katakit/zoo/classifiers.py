"""BERT-style classifiers: the sentiment of a sentence, and named entities word by word."""

from __future__ import annotations

from pathlib import Path

from katakit.zoo.corpus import NER_LABELS, SENTIMENT_LABELS, ner_examples, sentiment_examples
from katakit.zoo.encoder import bert_config, bert_tokenizer
from katakit.zoo.training import labelled, right_padded, save_pretrained, trained

# Smaller than the encoder: two layers learn these obvious examples.
CLASSIFIER_SIZES = dict(num_hidden_layers=2)


def build_sentiment_classifier(folder: Path, *, seed: int = 0, steps: int = 20, **size_overrides) -> None:
    """Write a sentence classifier (NEGATIVE, POSITIVE) directory to `folder`."""
    import torch
    from transformers import BertForSequenceClassification

    sentences, labels = zip(*sentiment_examples(), strict=True)
    tokenizer = bert_tokenizer(sentences)
    batch = dict(tokenizer(list(sentences), padding=True, return_tensors="pt"))
    batch["labels"] = torch.tensor([SENTIMENT_LABELS.index(label) for label in labels])
    config = bert_config(tokenizer, **labelled(SENTIMENT_LABELS), **{**CLASSIFIER_SIZES, **size_overrides})
    # A gentle rate: at 1e-2 every text came out at the same 0.998, probabilities that say nothing.
    model = trained(BertForSequenceClassification, config, batch, seed=seed, steps=steps, lr=3e-3)
    save_pretrained(folder, model, tokenizer)


def build_ner_tagger(
    folder: Path, *, seed: int = 0, steps: int = 450, examples: int = 1440, batch_size: int = 32, **size_overrides
) -> None:
    """Write a token classifier (O, and B-/I- for PER and LOC) directory to `folder`.

    Cased, with no name in its vocabulary: a name is spelled letter by letter, and only its capital
    and its context make it a person or a place, so the tagger tags names it never saw.
    """
    from transformers import BertForTokenClassification

    sentences = ner_examples(examples, seed=seed)
    tokenizer = ner_tokenizer(sentences)
    config = bert_config(tokenizer, **labelled(NER_LABELS), **{**CLASSIFIER_SIZES, **size_overrides})
    # Full-batch steps on a few sentences learnt their names by heart, and split unseen names for most seeds.
    # Many invented names, small batches and a rate that decays to zero make it tag by the context for any seed.
    model = trained(
        BertForTokenClassification,
        config,
        ner_batch(tokenizer, sentences),
        seed=seed,
        steps=steps,
        lr=1e-2,
        batch_size=batch_size,
        decay=True,
    )
    save_pretrained(folder, model, tokenizer)


def ner_tokenizer(sentences):
    """Cased; whole words for the words around the names, single letters for the names."""
    return bert_tokenizer([" ".join(word for word, tag in words if tag == "O") for words in sentences], lowercase=False)


def ner_batch(tokenizer, sentences) -> dict:
    """The sentences' tokens, each labelled with its word's tag; a word's later pieces continue its entity (I-)."""
    rows = []
    for words in sentences:
        encoding = tokenizer([word for word, _ in words], is_split_into_words=True)
        row, previous = [], None
        for word_id in encoding.word_ids():
            tag = "O" if word_id is None else words[word_id][1]
            if word_id is not None and word_id == previous and tag.startswith("B-"):
                tag = "I-" + tag[2:]
            row.append(-100 if word_id is None else NER_LABELS.index(tag))  # specials teach nothing
            previous = word_id
        rows.append(row)
    batch = dict(
        tokenizer(
            [[word for word, _ in words] for words in sentences],
            is_split_into_words=True,
            padding=True,
            return_tensors="pt",
        )
    )
    batch["labels"] = right_padded(rows, -100)
    return batch
