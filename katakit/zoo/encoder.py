"""BERT-style models with WordPiece tokenizers built from explicit vocabularies.

`build_encoder` trains a masked LM on the corpus; the classifiers in `classifiers.py` share the
tokenizer and the configuration made here.
"""

from __future__ import annotations

import string
from pathlib import Path

from katakit.zoo.corpus import LINES
from katakit.zoo.training import right_padded, save_pretrained, trained

SPECIAL_TOKENS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")

# Tiny sizes that all differ, so a shape mix-up shows in the numbers.
# No dropout: a few dozen full-batch steps learn the corpus without it, and would need more with it.
BERT_SIZES = dict(
    hidden_size=32,
    num_hidden_layers=3,
    num_attention_heads=4,
    intermediate_size=37,
    max_position_embeddings=128,
    hidden_dropout_prob=0.0,
    attention_probs_dropout_prob=0.0,
)


def wordpiece_vocabulary(lines, *, lowercase: bool = True) -> list[str]:
    """Specials, then single characters (whole and `##` continuation), then the corpus words.

    Built explicitly rather than trained: WordPiece training order depends on hash seeds,
    and token ids must be the same in every build.
    """
    words = sorted({word for line in lines for word in _pretokenize(line.lower() if lowercase else line)})
    letters = string.ascii_lowercase if lowercase else string.ascii_letters
    characters = sorted(set(letters + string.digits + string.punctuation) | {char for word in words for char in word})
    pieces = characters + [f"##{char}" for char in characters] + [w for w in words if len(w) > 1]
    return list(SPECIAL_TOKENS) + list(dict.fromkeys(pieces))


def _pretokenize(text: str) -> list[str]:
    from tokenizers.pre_tokenizers import BertPreTokenizer

    return [piece for piece, _ in BertPreTokenizer().pre_tokenize_str(text)]


def wordpiece_tokenizer(vocabulary: list[str], *, lowercase: bool = True):
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    ids = {token: index for index, token in enumerate(vocabulary)}
    tokenizer = Tokenizer(models.WordPiece(ids, unk_token="[UNK]"))
    # strip_accents=False keeps Hangul syllables whole instead of decomposing them into jamo.
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=lowercase, strip_accents=False)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", ids["[CLS]"]), ("[SEP]", ids["[SEP]"])],
    )
    tokenizer.decoder = decoders.WordPiece(prefix="##")
    return tokenizer


def bert_tokenizer(lines, *, lowercase: bool = True):
    """A BERT tokenizer whose vocabulary holds every word of `lines` whole, and every character."""
    from transformers import PreTrainedTokenizerFast

    vocabulary = wordpiece_vocabulary(lines, lowercase=lowercase)
    return PreTrainedTokenizerFast(
        tokenizer_object=wordpiece_tokenizer(vocabulary, lowercase=lowercase),
        unk_token="[UNK]",
        sep_token="[SEP]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        mask_token="[MASK]",
        model_input_names=["input_ids", "token_type_ids", "attention_mask"],
        model_max_length=BERT_SIZES["max_position_embeddings"],
    )


def bert_config(tokenizer, **overrides):
    from transformers import BertConfig

    return BertConfig(vocab_size=len(tokenizer), pad_token_id=tokenizer.pad_token_id, **{**BERT_SIZES, **overrides})


def every_word_masked(tokenizer, lines) -> dict:
    """A masked-LM batch: for every token of every line, a row with that one token masked, labelled with it."""
    rows, labels = [], []
    for line in lines:
        ids = tokenizer(line)["input_ids"]
        for position in range(1, len(ids) - 1):  # not [CLS] or [SEP]
            rows.append(ids[:position] + [tokenizer.mask_token_id] + ids[position + 1 :])
            labels.append([-100] * position + [ids[position]] + [-100] * (len(ids) - position - 1))
    input_ids = right_padded(rows, tokenizer.pad_token_id)
    return dict(
        input_ids=input_ids,
        attention_mask=(input_ids != tokenizer.pad_token_id).long(),
        labels=right_padded(labels, -100),
    )


def masked_lm_loss(model, batch):
    """The masked-LM loss of a `BertForPreTraining`, which computes a loss itself only given next-sentence labels."""
    from torch.nn.functional import cross_entropy

    inputs = {name: value for name, value in batch.items() if name != "labels"}
    logits = model(**inputs).prediction_logits
    return cross_entropy(logits.flatten(0, 1), batch["labels"].flatten(), ignore_index=-100)


def build_encoder(folder: Path, *, seed: int = 0, steps: int = 50, **size_overrides) -> None:
    """Write a BERT-style masked LM directory (config, weights, tokenizer) to `folder`.

    Saved as `BertForPreTraining`, like bert-base-uncased: the checkpoint holds the pooler that
    `AutoModel` builds as well as the masked-LM head, so every Auto class loads it whole, with no
    weight left to random initialisation.
    """
    from transformers import BertForPreTraining

    tokenizer = bert_tokenizer(LINES)
    model = trained(
        BertForPreTraining,
        bert_config(tokenizer, **size_overrides),
        every_word_masked(tokenizer, LINES),
        seed=seed,
        steps=steps,
        lr=1e-2,
        loss_of=masked_lm_loss,
    )
    save_pretrained(folder, model, tokenizer)
