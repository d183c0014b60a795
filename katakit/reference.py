"""What the library itself does, computed on the reference objects the learner never touches.

Tests compare the learner's result with these; nothing here is a pasted value.
"""

from __future__ import annotations

from functools import partial

import torch

from katakit.profiles import seed_torch

# Greedy generation is a function of the reference (which no kata is given) and its inputs: computed once per
# process for each, since several tests of a kata ask for the same prompts (the near misses, the end ids).
_GREEDY: dict[tuple, tuple] = {}  # -> (the reference, kept alive so that its id stays its own; the ids)


@torch.no_grad()
def greedy_ids(reference, prompt: str, max_new_tokens: int) -> torch.Tensor:
    """`generate(do_sample=False)` on the tokenized prompt: prompt ids followed by the new ids, shape (1, n)."""
    key = (id(reference), prompt, max_new_tokens)
    if key not in _GREEDY:
        inputs = reference.tokenizer(prompt, return_tensors="pt")
        _GREEDY[key] = (reference, reference.model.generate(**inputs, do_sample=False, max_new_tokens=max_new_tokens))
    return _GREEDY[key][1].clone()


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
        seed_torch(seed)
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
def sampled(reference, prompt: str, generation_config, seed: int):
    """`generate()` with `generation_config` under `torch.manual_seed(seed)`, with the scores of every step."""
    inputs = reference.tokenizer(prompt, return_tensors="pt")
    seed_torch(seed)
    return reference.model.generate(
        **inputs, generation_config=generation_config, return_dict_in_generate=True, output_scores=True
    )


@torch.no_grad()
def next_token_logits_at_each_step(reference, sequence: torch.Tensor, prompt_length: int) -> torch.Tensor:
    """The raw logits from which each new token of `sequence` (1, n) was drawn: shape (new tokens, vocab)."""
    logits = reference.model(input_ids=sequence).logits[0]
    # Position i predicts token i + 1: the new tokens were predicted from prompt_length - 1 onwards.
    return logits[prompt_length - 1 : sequence.shape[1] - 1]


def allowed_by_top_k_top_p(logits: torch.Tensor, top_k: int, top_p: float, tolerance: float = 1e-4) -> torch.Tensor:
    """Which tokens sampling with `top_k` then `top_p` may draw from `logits` (vocab,): a boolean mask.

    A slow, obvious spec of the library's filters, a little generous at the edges (`tolerance`) so that
    rounding differences between a cached and a full forward pass never count as a violation.
    """
    kth_largest = logits.topk(min(top_k, logits.numel())).values[-1]
    in_top_k = logits >= kth_largest - tolerance
    probabilities = logits.masked_fill(~in_top_k, float("-inf")).softmax(dim=-1)
    # A token is in the nucleus while the tokens more probable than it hold less than top_p.
    more_probable = probabilities[None, :] > probabilities[:, None]
    mass_above = (more_probable * probabilities[None, :]).sum(dim=-1)
    return in_top_k & (mass_above < top_p + tolerance)


@torch.no_grad()
def causal_lm_logits(reference, text: str) -> torch.Tensor:
    """The causal LM's logits for `text`, shape (1, number of tokens, vocab_size)."""
    return reference.model(**reference.tokenizer(text, return_tensors="pt")).logits


@torch.no_grad()
def causal_lm_loss(reference, text: str) -> float:
    """The model's own loss with `labels=input_ids`: the mean negative log-likelihood of every token after the first."""
    inputs = reference.tokenizer(text, return_tensors="pt")
    return reference.model(**inputs, labels=inputs["input_ids"]).loss.item()


@torch.no_grad()
def last_hidden_state_shape(reference, batch_size: int, num_tokens: int) -> tuple[int, ...]:
    """The shape of the last hidden state the bare model beneath any head gives for a batch of token ids."""
    input_ids = torch.zeros(batch_size, num_tokens, dtype=torch.long)
    return tuple(reference.model.base_model(input_ids=input_ids).last_hidden_state.shape)


@torch.no_grad()
def mean_of_token_vectors(reference, text: str) -> torch.Tensor:
    """A text's mean-pooled embedding, the obvious way: alone, so there is no padding to leave out. (hidden,)"""
    inputs = reference.tokenizer(text, return_tensors="pt")
    return reference.model(**inputs).last_hidden_state[0].mean(dim=0)


def cosine_ranking(query: torch.Tensor, documents: torch.Tensor) -> tuple[list[int], torch.Tensor]:
    """Document indices from the most to the least cosine-similar to `query`, ties in document order; and the
    similarities themselves."""
    similarities = torch.nn.functional.cosine_similarity(query[None, :], documents, dim=-1)
    return similarities.argsort(descending=True, stable=True).tolist(), similarities


def image_pixel_values(reference, image) -> torch.Tensor:
    """What the image processor makes of one PIL image for the model: shape (1, 3, height, width)."""
    return reference.image_processor(image, return_tensors="pt")["pixel_values"]


def chat_prompt_ids(reference, messages: list[dict]) -> torch.Tensor:
    """The chat template's ids for `messages`, the assistant's turn opened: shape (1, n)."""
    return reference.tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt")[
        "input_ids"
    ]


@torch.no_grad()
def greedy_chat_reply(reference, messages: list[dict], max_new_tokens: int) -> str:
    """The greedy reply to `messages`: the new tokens of `generate` on the templated prompt, decoded without
    special tokens."""
    input_ids = chat_prompt_ids(reference, messages)
    output = reference.model.generate(
        input_ids=input_ids, attention_mask=torch.ones_like(input_ids), do_sample=False, max_new_tokens=max_new_tokens
    )
    return reference.tokenizer.decode(output[0, input_ids.shape[1] :], skip_special_tokens=True)


# Prompts that are not in the corpus: the models' next-token distributions are broad after them.
UNKNOWN_PROMPTS = ("zq", "xv", "Qj", "kz wp", "vq zx", "jjj", "pfft", "wq vk")


@torch.no_grad()
def _sampled_continuation(reference, input_ids: torch.Tensor, max_new_tokens: int) -> tuple:
    """The new ids one generate() call samples (the model's generation config, do_sample=True)."""
    output = reference.model.generate(
        input_ids=input_ids, attention_mask=torch.ones_like(input_ids), do_sample=True, max_new_tokens=max_new_tokens
    )
    return tuple(output[0, input_ids.shape[1] :].tolist())


@torch.no_grad()
def _spread(reference, input_ids: torch.Tensor, max_new_tokens: int, samples: int = 32) -> int:
    """How many different continuations `samples` independent samples of generate() give: one batched call."""
    torch.manual_seed(0)
    output = reference.model.generate(
        input_ids=input_ids,
        attention_mask=torch.ones_like(input_ids),
        do_sample=True,
        max_new_tokens=max_new_tokens,
        num_return_sequences=samples,
        pad_token_id=_pad_id(reference),
    )
    return len({tuple(row) for row in output[:, input_ids.shape[1] :].tolist()})


def _pad_id(reference) -> int:
    """The pad id of a batch of samples: the tokenizer's, or the first end id where it has none (as GPT-2)."""
    pad = reference.tokenizer.pad_token_id
    return end_ids(reference.model)[0] if pad is None else pad


def prompt_that_samples_apart(reference, max_new_tokens: int = 8) -> str:
    """Of `UNKNOWN_PROMPTS`, the one whose sampled continuations are the most spread, of those that differ under
    seeds 0-4 (the tests try those): an experiment with almost any seeds sees that a model samples, whatever the
    zoo's seed (on some zoos "zq" is continued the same under seeds 0-4 and not under seeds 10-15)."""
    inputs = {prompt: reference.tokenizer(prompt, return_tensors="pt")["input_ids"] for prompt in UNKNOWN_PROMPTS}
    by_spread = sorted(UNKNOWN_PROMPTS, key=lambda prompt: -_spread(reference, inputs[prompt], max_new_tokens))
    for prompt in by_spread:
        if varies_with_seed(partial(_sampled_continuation, reference, inputs[prompt], max_new_tokens), range(5)):
            return prompt
    raise AssertionError(
        f"the zoo's model samples alike under seeds 0-4 after every one of {UNKNOWN_PROMPTS}: "
        "the sampling tests need a prompt on which sampling shows"
    )


# Questions the chat model never saw: its replies are not learned by heart, so sampling can show.
UNSEEN_QUESTIONS = ("Hello world", "Tell me something new", "What is blue?", "Why?", "Say a number", "Good night")


def chat_that_samples_apart(reference, max_new_tokens: int = 12, seeds=range(6)) -> list[dict]:
    """The first one-question chat of `UNSEEN_QUESTIONS` whose reply, sampled with the model's own generation
    config, differs under `seeds` (the fewest a test tries): a kata that leaves sampling on is seen to, whatever
    the zoo's seed."""
    for question in UNSEEN_QUESTIONS:
        messages = [{"role": "user", "content": question}]
        input_ids = chat_prompt_ids(reference, messages)
        if varies_with_seed(partial(_sampled_continuation, reference, input_ids, max_new_tokens), seeds):
            return messages
    raise AssertionError(
        f"the zoo's chat model samples the same reply under seeds {list(seeds)} to every one of "
        f"{UNSEEN_QUESTIONS}: the seed tests of this kata need a chat on which sampling shows"
    )


def end_ids(model) -> list[int]:
    """The ids at which `generate()` ends for `model`: its generation config's `eos_token_id`, one id or a list
    (the Llama-style model's: <|end_of_text|> and <|end|>, as in Llama 3 Instruct)."""
    eos = model.generation_config.eos_token_id
    return [] if eos is None else [eos] if isinstance(eos, int) else list(eos)


def end_prompt_candidates(tokenizer) -> list[str]:
    """Prompts the zoo's causal LMs continue up to an end id: the first words of each corpus line and, where the
    tokenizer has a chat template, each corpus question with the assistant's turn opened, as text (its special
    tokens spelled out, the begin-of-text token left to the tokenizer)."""
    from katakit.zoo.corpus import CHATS, LINES

    candidates = [" ".join(line.split()[:count]) for count in (2, 1) for line in LINES]
    if tokenizer.chat_template:
        adds_bos = tokenizer.bos_token_id is not None and tokenizer("x")["input_ids"][0] == tokenizer.bos_token_id
        for question, _ in CHATS:
            text = tokenizer.apply_chat_template(
                [{"role": "user", "content": question}], add_generation_prompt=True, tokenize=False
            )
            candidates.append(text.removeprefix(tokenizer.bos_token) if adds_bos else text)
    return candidates


def prompts_ending_at_each_end_id(reference, max_new_tokens: int = 40) -> dict[int, tuple[str, int]]:
    """For each end id of the model (`end_ids`), the first candidate prompt (`end_prompt_candidates`) whose greedy
    continuation ends at that id within `max_new_tokens`, and how many new tokens that takes, the end id included.

    An end id that no candidate reaches is missing from the dict: the test that needs it says so.
    """
    wanted, found = end_ids(reference.model), {}
    for prompt in end_prompt_candidates(reference.tokenizer):
        prompt_length = len(reference.tokenizer(prompt)["input_ids"])
        new_ids = greedy_ids(reference, prompt, max_new_tokens)[0, prompt_length:].tolist()
        ends = [index for index, token in enumerate(new_ids) if token in wanted]
        if ends and new_ids[ends[0]] not in found:
            found[new_ids[ends[0]]] = (prompt, ends[0] + 1)
        if len(found) == len(wanted):
            break
    return found
