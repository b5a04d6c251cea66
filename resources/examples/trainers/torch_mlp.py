"""A PyTorch training loop tuned by Caviar: a small MLP on a synthetic spiral.

An ordinary loop (DataLoader, optimizer, ``model.train()`` / ``model.eval()``) with two
additions: ``trial.report(epoch, ...)`` after each epoch and a ``trial.should_stop()``
check. Needs PyTorch (``pip install torch``; the CPU build is enough). See ``torch_mlp.toml``
and ``docs/trainers.md``.
"""

from __future__ import annotations

import math

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def make_spiral(samples: int = 900, classes: int = 3, noise: float = 0.25, seed: int = 0):
    """Points on ``classes`` interleaved spiral arms: features (samples, 2), labels."""
    generator = torch.Generator().manual_seed(seed)
    per_class = samples // classes
    radius = torch.linspace(0.05, 1.0, per_class)
    X, y = [], []
    for k in range(classes):
        angle = (torch.linspace(4.0 * k, 4.0 * (k + 1), per_class)
                 + noise * torch.randn(per_class, generator=generator))
        X.append(torch.stack([radius * torch.sin(angle), radius * torch.cos(angle)], dim=1))
        y.append(torch.full((per_class,), k))
    order = torch.randperm(per_class * classes, generator=generator)
    return torch.cat(X)[order], torch.cat(y)[order]


def build_model(hidden_units: int, hidden_layers: int, dropout: float) -> nn.Module:
    layers: list[nn.Module] = []
    width = 2
    for _ in range(hidden_layers):
        layers += [nn.Linear(width, hidden_units), nn.ReLU(), nn.Dropout(dropout)]
        width = hidden_units
    layers.append(nn.Linear(width, 3))
    return nn.Sequential(*layers)


def evaluate(model: nn.Module, X: torch.Tensor, y: torch.Tensor) -> tuple[float, float]:
    """Mean cross-entropy and accuracy on (X, y)."""
    model.eval()
    with torch.no_grad():
        logits = model(X)
        loss = nn.functional.cross_entropy(logits, y).item()
        accuracy = (logits.argmax(dim=1) == y).float().mean().item()
    return loss, accuracy


def train(params: dict, trial) -> dict:
    torch.manual_seed(trial.seed)  # each trial its own initial weights and batch order
    torch.set_num_threads(1)       # Caviar runs trials side by side: one core each

    X, y = make_spiral(seed=0)     # the same data for every trial
    n_train = int(0.8 * len(y))
    train_data = TensorDataset(X[:n_train], y[:n_train])
    X_val, y_val = X[n_train:], y[n_train:]
    loader = DataLoader(train_data, batch_size=int(params["batch_size"]), shuffle=True)

    model = build_model(int(params["hidden_units"]), int(params["hidden_layers"]),
                        float(params["dropout"]))
    optimizer = torch.optim.AdamW(model.parameters(), lr=params["learning_rate"],
                                  weight_decay=params["weight_decay"])

    best_val_loss = math.inf
    for epoch in range(1, int(params["epochs"]) + 1):
        model.train()
        total, count = 0.0, 0
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(xb), yb)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(yb)
            count += len(yb)

        val_loss, val_accuracy = evaluate(model, X_val, y_val)
        best_val_loss = min(best_val_loss, val_loss)
        trial.report(epoch, train_loss=total / count, val_loss=val_loss,
                     val_accuracy=val_accuracy)
        if trial.should_stop():
            break
    # optional: final metrics of your own, stored with the trial (a column in caviar export)
    return {"best_val_loss": best_val_loss}
