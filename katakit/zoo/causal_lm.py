"""A GPT-2-style causal LM with a byte-level BPE tokenizer, trained to continue its corpus lines."""

from __future__ import annotations

from pathlib import Path

from katakit.zoo.corpus import LINES
from katakit.zoo.training import causal_lm_batch, save_pretrained, trained

END_OF_TEXT = "<|endoftext|>"

# Tiny sizes that all differ, so a shape mix-up shows in the numbers.
GPT2_SIZES = dict(n_embd=64, n_layer=2, n_head=4, n_inner=96, n_positions=256)


def train_byte_level_tokenizer(lines, vocab_size: int, special_tokens=(END_OF_TEXT,)):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers

    tokenizer = Tokenizer(models.BPE())
    # Byte level: every unicode string has an encoding, and decode(encode(text)) == text.
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    tokenizer.post_processor = processors.ByteLevel(trim_offsets=False)
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=list(special_tokens),
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(lines, trainer)
    return tokenizer


def causal_lm_tokenizer(backend, *, max_length: int, **special_tokens):
    """The transformers tokenizer around a trained `tokenizers.Tokenizer`, for a decoder-only model."""
    from transformers import PreTrainedTokenizerFast

    return PreTrainedTokenizerFast(
        tokenizer_object=backend,
        # A decoder takes no token_type_ids; without this the tokenizer would return them.
        model_input_names=["input_ids", "attention_mask"],
        clean_up_tokenization_spaces=False,
        model_max_length=max_length,
        **special_tokens,
    )


def train_causal_lm(
    model_class, config, sequences: list[list[int]], *, pad_id: int, seed: int, steps: int, lr: float = 3e-3
):
    """A `model_class(config)` trained to reproduce the token `sequences`."""
    model = trained(model_class, config, causal_lm_batch(sequences, pad_id=pad_id), seed=seed, steps=steps, lr=lr)
    # Unset, every generate call would warn that it chose a pad token itself.
    model.generation_config.pad_token_id = pad_id
    return model


def build_causal_lm(folder: Path, *, seed: int = 0, vocab_size: int = 400, steps: int = 150) -> None:
    """Write a GPT-2-style model directory (config, weights, tokenizer, generation config) to `folder`."""
    from transformers import GPT2Config, GPT2LMHeadModel

    backend = train_byte_level_tokenizer(LINES, vocab_size)
    tokenizer = causal_lm_tokenizer(
        backend,
        max_length=GPT2_SIZES["n_positions"],
        bos_token=END_OF_TEXT,
        eos_token=END_OF_TEXT,
        unk_token=END_OF_TEXT,
    )
    eos_id = tokenizer.eos_token_id
    config = GPT2Config(vocab_size=len(tokenizer), bos_token_id=eos_id, eos_token_id=eos_id, **GPT2_SIZES)
    sequences = [tokenizer(line)["input_ids"] + [eos_id] for line in LINES]
    # Like gpt2 on the hub: no pad token; generation pads with end-of-text.
    model = train_causal_lm(GPT2LMHeadModel, config, sequences, pad_id=eos_id, seed=seed, steps=steps)
    save_pretrained(folder, model, tokenizer)
