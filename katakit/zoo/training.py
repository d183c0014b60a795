"""The one short training loop every zoo model shares."""

from __future__ import annotations


def train_on_lines(model, sequences: list[list[int]], *, pad_id: int, steps: int, seed: int, lr: float = 3e-3):
    """Teach `model` (a causal LM) to reproduce `sequences` token by token; leaves it in eval mode."""
    import torch

    longest = max(map(len, sequences))
    input_ids = torch.full((len(sequences), longest), pad_id)
    labels = torch.full((len(sequences), longest), -100)  # padding teaches nothing
    for row, sequence in enumerate(sequences):
        input_ids[row, : len(sequence)] = torch.tensor(sequence)
        labels[row, : len(sequence)] = torch.tensor(sequence)
    attention_mask = (labels != -100).long()

    torch.manual_seed(seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    model.train()
    for _ in range(steps):
        loss = model(input_ids=input_ids, attention_mask=attention_mask, labels=labels).loss
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    return loss.item()
