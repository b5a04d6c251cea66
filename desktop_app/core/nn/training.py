"""The mini-batch training loop with per-epoch history, stop flag, divergence and patience."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from time import perf_counter

import numpy as np

from ..errors import ConfigError, DataError
from .network import Network
from .optimizers import Optimizer

STATUSES = ("complete", "diverged", "stopped", "early_stopped")
# A mini-batch loss above this counts as divergence: mean cross-entropy 1e4 means the true class
# gets probability e^-10000. Adam with learning rate 100 keeps the loss finite (its steps are
# bounded by the rate) but sends it to 1e5..1e9 on the first epoch; healthy runs stay below ~10.
DIVERGED_LOSS = 1e4


@dataclass(frozen=True)
class EpochRecord:
    """One finished epoch (``epoch`` counts from 1). Train metrics are the mean over the
    epoch's mini-batches in training mode; val_* are inference-mode, NaN without validation
    data; ``seconds`` is the epoch's wall time."""

    epoch: int
    train_loss: float
    train_accuracy: float
    val_loss: float
    val_accuracy: float
    learning_rate: float
    seconds: float


@dataclass(frozen=True)
class TrainResult:
    """How the run ended (one of STATUSES) and its epochs, oldest first."""

    status: str
    history: tuple[EpochRecord, ...]


def _labels(net: Network, X: object, y: object, name: str) -> tuple[np.ndarray, np.ndarray]:
    """X as the network's dtype and y as integer labels, checked against the network."""
    X = np.asarray(X, dtype=net.dtype)
    y = np.asarray(y)
    if X.ndim != 2 or X.shape[1] != net.n_inputs:
        raise DataError(f"X{name}", f"needs shape (m, {net.n_inputs}) (got {X.shape})")
    if y.shape != (X.shape[0],):
        raise DataError(f"y{name}", f"needs shape ({X.shape[0]},) to match X (got {y.shape})")
    if y.size and (not np.issubdtype(y.dtype, np.integer) or y.min() < 0
                   or y.max() >= net.n_classes):
        raise DataError(f"y{name}", f"labels must be integers 0..{net.n_classes - 1}")
    return X, y.astype(np.intp, copy=False)


def train(
    net: Network,
    optimizer: Optimizer,
    X: np.ndarray,
    y: np.ndarray,
    X_val: np.ndarray | None = None,
    y_val: np.ndarray | None = None,
    *,
    epochs: int,
    batch_size: int = 64,
    schedule: Callable[[float, int], float] | None = None,
    seed: int = 0,
    should_stop: Callable[[], bool] | None = None,
    on_epoch: Callable[[EpochRecord], bool | None] | None = None,
    patience: int | None = None,
) -> TrainResult:
    """Train ``net`` with mini-batches reshuffled every epoch from ``seed``; never raises on
    divergence.

    ``should_stop()`` runs before every mini-batch (True: status "stopped", the partial epoch
    is not recorded). ``on_epoch(record)`` runs after every epoch (True: "stopped"). A
    mini-batch loss that is non-finite or above DIVERGED_LOSS ends the epoch early, records it
    and ends the run with "diverged". With ``patience``,
    the run ends "early_stopped" after that many epochs without a lower val_loss.
    ``schedule(alpha0, epoch)`` sets the learning rate at the start of every epoch, alpha0
    being the optimizer's rate when ``train`` starts.
    """
    if not (isinstance(epochs, int) and epochs >= 1):
        raise ConfigError("epochs", f"must be an integer >= 1 (got {epochs!r})")
    if not (isinstance(batch_size, int) and batch_size >= 1):
        raise ConfigError("batch_size", f"must be an integer >= 1 (got {batch_size!r})")
    X, y = _labels(net, X, y, "")
    if X.shape[0] == 0:
        raise DataError("X", "has no rows; give at least one training example")
    has_val = X_val is not None and y_val is not None and len(X_val) > 0
    if has_val:
        X_val, y_val = _labels(net, X_val, y_val, "_val")
    if patience is not None and not (isinstance(patience, int) and patience >= 1 and has_val):
        raise ConfigError("patience", "needs an integer >= 1 and validation data (or None)")

    rng = np.random.default_rng(seed)
    params, grads = net.parameters(), net.gradients()
    alpha0 = optimizer.learning_rate
    history: list[EpochRecord] = []
    best, waited = math.inf, 0
    m = X.shape[0]
    with np.errstate(all="ignore"):
        for epoch in range(1, epochs + 1):
            start = perf_counter()
            if schedule is not None:
                optimizer.learning_rate = schedule(alpha0, epoch - 1)
            order = rng.permutation(m)
            Xs, ys = X[order], y[order]
            total_loss = total_acc = 0.0
            batches, diverged = 0, False
            for lo in range(0, m, batch_size):
                if should_stop is not None and should_stop():
                    return TrainResult("stopped", tuple(history))
                loss, acc = net.forward_backward(Xs[lo : lo + batch_size], ys[lo : lo + batch_size])
                total_loss += loss
                total_acc += acc
                batches += 1
                if not loss <= DIVERGED_LOSS:  # also catches NaN
                    diverged = True
                    break
                optimizer.step(params, grads)
            train_loss = total_loss / batches
            val_loss, val_acc = net.evaluate(X_val, y_val) if has_val else (math.nan, math.nan)
            record = EpochRecord(epoch, train_loss, total_acc / batches, val_loss, val_acc,
                                 optimizer.learning_rate, perf_counter() - start)
            history.append(record)
            stop = on_epoch is not None and on_epoch(record)
            if diverged:
                return TrainResult("diverged", tuple(history))
            if stop:
                return TrainResult("stopped", tuple(history))
            if patience is not None:
                if val_loss < best:
                    best, waited = val_loss, 0
                else:
                    waited += 1
                    if waited >= patience:
                        return TrainResult("early_stopped", tuple(history))
    return TrainResult("complete", tuple(history))
