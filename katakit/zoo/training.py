"""The one short training loop every zoo model shares, the batches it trains on, and the saving."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable
from pathlib import Path


def train(
    model,
    batch: dict,
    *,
    steps: int,
    seed: int,
    lr: float = 3e-3,
    loss_of: Callable | None = None,
    batch_size: int | None = None,
    decay: bool = False,
) -> float:
    """`steps` AdamW updates of `model` on `batch` (inputs and labels); leaves it in eval mode.

    Each update sees the whole batch, or with `batch_size` that many of its rows, in an order shuffled for `seed`.
    `decay` lowers the rate linearly to zero over the steps. The loss is the one the model computes from
    `batch["labels"]`, unless `loss_of(model, batch)` says otherwise. Returns the last loss.
    """
    import torch

    torch.manual_seed(seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: 1 - step / steps) if decay else None
    batches = shuffled_rows(batch, batch_size, seed) if batch_size else itertools.repeat(batch)
    model.train()
    with _one_thread():
        for step_batch in itertools.islice(batches, steps):
            loss = loss_of(model, step_batch) if loss_of else model(**step_batch).loss
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if schedule:
                schedule.step()
    model.eval()
    return loss.item()


def shuffled_rows(batch: dict, size: int, seed: int):
    """Endless batches of `size` rows of `batch`: every row once per pass, passes shuffled for `seed`."""
    import torch

    generator = torch.Generator().manual_seed(seed)
    count = len(batch["labels"])
    while True:
        order = torch.randperm(count, generator=generator)
        for start in range(0, count - size + 1, size):  # a short remainder would weigh its rows more
            yield _without_padding_columns({name: value[order[start : start + size]] for name, value in batch.items()})


def _without_padding_columns(batch: dict) -> dict:
    """A right-padded batch less its last token columns where every row is padding: they cost time, teach nothing."""
    mask = batch.get("attention_mask")
    if mask is None:
        return batch
    width = int(mask.sum(dim=1).max())
    return {
        name: value[:, :width].contiguous() if value.shape[:2] == mask.shape else value for name, value in batch.items()
    }


@contextlib.contextmanager
def _one_thread():
    """Run torch on one thread, then restore the caller's setting.

    The tensors are tiny: a second thread costs more in synchronisation than it saves, and on a busy
    machine a thread waiting for a descheduled partner makes each step several times slower. With
    one thread, the weights also do not depend on the machine's number of cores.
    """
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def trained(model_class, config, batch: dict, *, seed: int, steps: int, **train_options):
    """A `model_class(config)` initialised for `seed`, then trained on `batch` (see `train`)."""
    import torch

    torch.manual_seed(seed)
    model = model_class(config)
    train(model, batch, steps=steps, seed=seed, **train_options)
    return model


def right_padded(sequences: list[list[int]], pad_value: int):
    """The sequences as rows of one tensor, each padded on the right with `pad_value` to the longest."""
    import torch

    rows = torch.full((len(sequences), max(map(len, sequences))), pad_value)
    for row, sequence in enumerate(sequences):
        rows[row, : len(sequence)] = torch.tensor(sequence)
    return rows


def causal_lm_batch(sequences: list[list[int]], *, pad_id: int) -> dict:
    """A batch that teaches a causal LM to reproduce `sequences` token by token."""
    labels = right_padded(sequences, -100)  # padding teaches nothing
    return dict(input_ids=right_padded(sequences, pad_id), attention_mask=(labels != -100).long(), labels=labels)


def labelled(labels) -> dict:
    """The config arguments that name a classifier's labels, in order."""
    return dict(id2label=dict(enumerate(labels)), label2id={label: index for index, label in enumerate(labels)})


def save_pretrained(folder: Path, *parts) -> None:
    """Save the model and its tokenizer or image processor into one folder, as the hub holds them."""
    for part in parts:
        part.save_pretrained(folder)
