"""A BERT-style encoder with a WordPiece tokenizer built from an explicit vocabulary."""

from __future__ import annotations

import string
from pathlib import Path

from katakit.zoo.corpus import LINES

SPECIAL_TOKENS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")

# Tiny sizes that all differ, so a shape mix-up shows in the numbers.
BERT_SIZES = dict(hidden_size=32, num_hidden_layers=3, num_attention_heads=4, intermediate_size=37,
                  max_position_embeddings=128)


def wordpiece_vocabulary(lines) -> list[str]:
    """Specials, then single characters (whole and `##` continuation), then the corpus words.

    Built explicitly rather than trained: WordPiece training order depends on hash seeds,
    and token ids must be the same in every build.
    """
    words = sorted({word for line in lines for word in _pretokenize(line.lower())})
    characters = sorted(set(string.ascii_lowercase + string.digits + string.punctuation)
                        | {char for word in words for char in word})
    pieces = characters + [f"##{char}" for char in characters] + [w for w in words if len(w) > 1]
    return list(SPECIAL_TOKENS) + list(dict.fromkeys(pieces))


def _pretokenize(text: str) -> list[str]:
    from tokenizers.pre_tokenizers import BertPreTokenizer

    return [piece for piece, _ in BertPreTokenizer().pre_tokenize_str(text)]


def wordpiece_tokenizer(vocabulary: list[str]):
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    ids = {token: index for index, token in enumerate(vocabulary)}
    tokenizer = Tokenizer(models.WordPiece(ids, unk_token="[UNK]"))
    # strip_accents=False keeps Hangul syllables whole instead of decomposing them into jamo.
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True, strip_accents=False)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", ids["[CLS]"]), ("[SEP]", ids["[SEP]"])],
    )
    tokenizer.decoder = decoders.WordPiece(prefix="##")
    return tokenizer


def build_encoder(folder: Path, *, seed: int = 0, **size_overrides) -> None:
    """Write a BERT-style encoder directory (config, weights, tokenizer) to `folder`."""
    import torch
    from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=wordpiece_tokenizer(wordpiece_vocabulary(LINES)),
        unk_token="[UNK]", sep_token="[SEP]", pad_token="[PAD]", cls_token="[CLS]", mask_token="[MASK]",
        model_input_names=["input_ids", "token_type_ids", "attention_mask"],
        model_max_length=BERT_SIZES["max_position_embeddings"],
    )
    torch.manual_seed(seed)
    config = BertConfig(vocab_size=len(tokenizer), pad_token_id=tokenizer.pad_token_id,
                        **{**BERT_SIZES, **size_overrides})
    BertModel(config).eval().save_pretrained(folder)
    tokenizer.save_pretrained(folder)
