"""What the library itself does, computed on the reference objects the learner never touches.

Tests compare the learner's result with these; nothing here is a pasted value.
"""

from __future__ import annotations

import torch


@torch.no_grad()
def greedy_ids(reference, prompt: str, max_new_tokens: int) -> torch.Tensor:
    """`generate(do_sample=False)` on the tokenized prompt: prompt ids followed by the new ids, shape (1, n)."""
    inputs = reference.tokenizer(prompt, return_tensors="pt")
    return reference.model.generate(**inputs, do_sample=False, max_new_tokens=max_new_tokens)


def greedy_continuation(reference, prompt: str, max_new_tokens: int) -> str:
    """The new text only, decoded as the text-generation pipeline decodes it."""
    prompt_length = len(reference.tokenizer(prompt)["input_ids"])
    new_ids = greedy_ids(reference, prompt, max_new_tokens)[0, prompt_length:]
    return reference.tokenizer.decode(new_ids, skip_special_tokens=True)


def greedy_full_text(reference, prompt: str, max_new_tokens: int) -> str:
    return reference.tokenizer.decode(greedy_ids(reference, prompt, max_new_tokens)[0], skip_special_tokens=True)


def same_weights(model, other) -> bool:
    mine, theirs = model.state_dict(), other.state_dict()
    return mine.keys() == theirs.keys() and all(torch.equal(mine[k], theirs[k]) for k in mine)


def varies_with_seed(generate_text, seeds=range(5)) -> bool:
    """Whether `generate_text()` gives different texts under different `torch.manual_seed`s: it samples."""
    texts = set()
    for seed in seeds:
        torch.manual_seed(seed)
        texts.add(generate_text())
    return len(texts) > 1


@torch.no_grad()
def encoder_outputs(reference, texts: list[str]):
    """The encoder's outputs for a padded batch, with its attention mask and every hidden state."""
    inputs = reference.tokenizer(texts, padding=True, return_tensors="pt")
    return reference.model(**inputs, output_hidden_states=True)


@torch.no_grad()
def backbone_last_hidden_state(reference, text: str) -> torch.Tensor:
    """The last hidden state of one text from the bare model beneath any task head, shape (1, n, hidden_size)."""
    inputs = reference.tokenizer(text, return_tensors="pt")
    return reference.model.base_model(**inputs).last_hidden_state


@torch.no_grad()
def last_hidden_state_shape(reference, batch_size: int, num_tokens: int) -> tuple[int, ...]:
    """The shape of the last hidden state the bare model beneath any head gives for a batch of token ids."""
    input_ids = torch.zeros(batch_size, num_tokens, dtype=torch.long)
    return tuple(reference.model.base_model(input_ids=input_ids).last_hidden_state.shape)
