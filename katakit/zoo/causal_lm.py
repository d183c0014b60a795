"""A GPT-2-style causal LM with a byte-level BPE tokenizer, trained to continue its corpus lines."""

from __future__ import annotations

from pathlib import Path

from katakit.zoo.corpus import LINES
from katakit.zoo.training import train_on_lines

END_OF_TEXT = "<|endoftext|>"

# Tiny sizes that all differ, so a shape mix-up shows in the numbers.
GPT2_SIZES = dict(n_embd=64, n_layer=2, n_head=4, n_inner=96, n_positions=256)


def train_byte_level_tokenizer(lines, vocab_size: int):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers

    tokenizer = Tokenizer(models.BPE())
    # Byte level: every unicode string has an encoding, and decode(encode(text)) == text.
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    tokenizer.post_processor = processors.ByteLevel(trim_offsets=False)
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=[END_OF_TEXT],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(lines, trainer)
    return tokenizer


def build_causal_lm(folder: Path, *, seed: int = 0, vocab_size: int = 400, steps: int = 150) -> None:
    """Write a GPT-2-style model directory (config, weights, tokenizer, generation config) to `folder`."""
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast

    backend = train_byte_level_tokenizer(LINES, vocab_size)
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=backend,
        bos_token=END_OF_TEXT,
        eos_token=END_OF_TEXT,
        unk_token=END_OF_TEXT,
        # GPT-2 takes no token_type_ids; without this the tokenizer would return them.
        model_input_names=["input_ids", "attention_mask"],
        clean_up_tokenization_spaces=False,
        model_max_length=GPT2_SIZES["n_positions"],
    )
    eos_id = tokenizer.eos_token_id
    torch.manual_seed(seed)
    config = GPT2Config(vocab_size=len(tokenizer), bos_token_id=eos_id, eos_token_id=eos_id, **GPT2_SIZES)
    model = GPT2LMHeadModel(config)
    sequences = [tokenizer(line)["input_ids"] + [eos_id] for line in LINES]
    train_on_lines(model, sequences, pad_id=eos_id, steps=steps, seed=seed)
    # Like gpt2 on the hub: no pad token; generation pads with end-of-text instead of warning.
    model.generation_config.pad_token_id = eos_id
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
