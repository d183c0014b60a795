"""A Llama-style chat model: byte-level BPE with chat tokens, a chat template, trained on lines and chats."""

from __future__ import annotations

from pathlib import Path

from katakit.zoo.causal_lm import causal_lm_tokenizer, train_byte_level_tokenizer, train_causal_lm
from katakit.zoo.corpus import CHATS, LINES
from katakit.zoo.training import save_pretrained

BEGIN, END_OF_TEXT, PAD = "<|begin_of_text|>", "<|end_of_text|>", "<|pad|>"
ROLES = ("system", "user", "assistant")
END_OF_TURN = "<|end|>"
CONTROL_TOKENS = (*(f"<|{role}|>" for role in ROLES), END_OF_TURN)

# Tiny sizes that all differ from each other and from the GPT-2 model's.
LLAMA_SIZES = dict(
    hidden_size=48,
    num_hidden_layers=2,
    num_attention_heads=4,
    num_key_value_heads=2,
    intermediate_size=80,
    max_position_embeddings=192,
)

# Each message is <|role|>, a newline, its content and <|end|>; the generation prompt opens the assistant's turn.
CHAT_TEMPLATE = """\
{{- bos_token }}
{%- for message in messages %}
    {%- if message['role'] not in ['system', 'user', 'assistant'] %}
        {{- raise_exception('roles are system, user and assistant, not ' + message['role']) }}
    {%- endif %}
    {{- '<|' + message['role'] + '|>\\n' + message['content'] + '<|end|>\\n' }}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|assistant|>\\n' }}
{%- endif %}"""


def chat_messages(question: str, answer: str) -> list[dict[str, str]]:
    return [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]


def _with_begin_token(backend):
    """Make the tokenizer start every encoding with <|begin_of_text|>, as Llama's does."""
    from tokenizers import processors

    backend.post_processor = processors.Sequence(
        [
            processors.ByteLevel(trim_offsets=False),
            processors.TemplateProcessing(
                single=f"{BEGIN} $A", pair=f"{BEGIN} $A $B", special_tokens=[(BEGIN, backend.token_to_id(BEGIN))]
            ),
        ]
    )
    return backend


def build_chat_lm(folder: Path, *, seed: int = 0, vocab_size: int = 360, steps: int = 60) -> None:
    """Write a Llama-style model directory (config, weights, tokenizer with chat template, generation config)."""
    from transformers import LlamaConfig, LlamaForCausalLM

    texts = [*LINES, *(question for question, _ in CHATS)]
    backend = train_byte_level_tokenizer(texts, vocab_size, special_tokens=(BEGIN, END_OF_TEXT, PAD, *CONTROL_TOKENS))
    tokenizer = causal_lm_tokenizer(
        _with_begin_token(backend),
        max_length=LLAMA_SIZES["max_position_embeddings"],
        bos_token=BEGIN,
        eos_token=END_OF_TEXT,
        pad_token=PAD,
        extra_special_tokens=list(CONTROL_TOKENS),
    )
    tokenizer.chat_template = CHAT_TEMPLATE
    ids = {token: tokenizer.convert_tokens_to_ids(token) for token in (BEGIN, END_OF_TEXT, PAD, END_OF_TURN)}
    sequences = [tokenizer(line)["input_ids"] + [ids[END_OF_TEXT]] for line in LINES]
    sequences += [tokenizer.apply_chat_template(chat_messages(*chat))["input_ids"] for chat in CHATS]
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        bos_token_id=ids[BEGIN],
        eos_token_id=ids[END_OF_TEXT],
        pad_token_id=ids[PAD],
        **LLAMA_SIZES,
    )
    model = train_causal_lm(LlamaForCausalLM, config, sequences, pad_id=ids[PAD], seed=seed, steps=steps, lr=1e-2)
    # Like Llama 3 Instruct: generation stops at the end of a text or of the assistant's turn, and
    # samples unless told otherwise, so code that relies on generate()'s greedy default meets the trap.
    model.generation_config.eos_token_id = [ids[END_OF_TEXT], ids[END_OF_TURN]]
    model.generation_config.update(do_sample=True, temperature=0.6, top_p=0.9)
    save_pretrained(folder, model, tokenizer)
