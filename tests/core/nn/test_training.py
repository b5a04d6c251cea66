"""The training loop: learning, divergence, determinism, stop flag, callbacks, patience."""

from __future__ import annotations

import math

import numpy as np
import pytest

from desktop_app.core.errors import ConfigError, DataError
from desktop_app.core.nn import SGD, Adam, EpochRecord, Network, StepDecay, train

from .helpers import builtin_split, spiral

DEFAULT_LR = 0.01  # the registry's default learning rate


def test_spiral_reaches_95_percent_training_accuracy() -> None:
    X, y = spiral()
    net = Network(2, n_classes=3, seed=0)
    result = train(net, Adam(DEFAULT_LR), X, y, epochs=50, seed=0)
    assert result.status == "complete"
    assert len(result.history) == 50
    assert np.mean(net.predict(X) == y) >= 0.95


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_iris_reaches_90_percent_validation_accuracy(dtype: str) -> None:
    X, y, X_val, y_val = builtin_split("iris")
    net = Network(4, n_classes=3, seed=0, dtype=dtype)
    result = train(net, Adam(DEFAULT_LR), X, y, X_val, y_val, epochs=50, seed=0)
    assert result.history[-1].val_accuracy >= 0.90


def test_digits_reaches_95_percent_validation_accuracy() -> None:
    X, y, X_val, y_val = builtin_split("digits")
    net = Network(64, n_classes=10, seed=0)
    result = train(net, Adam(DEFAULT_LR), X, y, X_val, y_val, epochs=50, seed=0)
    assert result.history[-1].val_accuracy >= 0.95


@pytest.mark.parametrize("optimizer", [Adam, SGD])
@pytest.mark.parametrize("batch_norm", [True, False])
def test_learning_rate_100_ends_diverged_without_raising(optimizer, batch_norm: bool) -> None:
    X, y = spiral()
    seen: list[EpochRecord] = []
    net = Network(2, n_classes=3, batch_norm=batch_norm)
    result = train(net, optimizer(100.0), X, y, X, y, epochs=20, on_epoch=seen.append)
    assert result.status == "diverged"
    assert seen == list(result.history)
    assert not result.history[-1].train_loss < 1e4


def test_non_finite_loss_ends_diverged() -> None:
    X, y = spiral()
    net = Network(2, n_classes=3, batch_norm=False)
    net.parameters()["W3"][0, 0] = np.inf
    result = train(net, Adam(0.01), X, y, epochs=5)
    assert result.status == "diverged"
    assert len(result.history) == 1 and not math.isfinite(result.history[0].train_loss)


def run(seed: int = 0, **kwargs) -> tuple[EpochRecord, ...]:
    X, y = spiral(n_per_class=50)
    net = Network(2, [16, 16], 3, dropout=0.2, seed=seed)
    history = train(net, Adam(0.01), X[::2], y[::2], X[1::2], y[1::2], epochs=4, batch_size=16,
                    seed=seed, **kwargs).history
    return tuple(r.__class__(**{**r.__dict__, "seconds": 0.0}) for r in history)


def test_same_seed_same_history_and_other_seed_differs() -> None:
    assert run(0) == run(0)
    assert run(0) != run(1)


def test_history_and_learning_rate_schedule() -> None:
    history = run(schedule=StepDecay(drop=0.5, every=2))
    assert [r.epoch for r in history] == [1, 2, 3, 4]
    assert [r.learning_rate for r in history] == [0.01, 0.01, 0.005, 0.005]
    for r in history:
        assert 0.0 <= r.train_accuracy <= 1.0 and 0.0 <= r.val_accuracy <= 1.0


def test_epoch_metrics_are_means_over_mini_batches() -> None:
    X, y = spiral(n_per_class=10)  # 30 rows, batches of 8: 4 batches, the last one partial
    net = Network(2, [8], 3, seed=3)
    twin = Network(2, [8], 3, seed=3)
    opt, twin_opt = SGD(0.1), SGD(0.1)
    record = train(net, opt, X, y, epochs=1, batch_size=8, seed=5).history[0]
    order = np.random.default_rng(5).permutation(30)
    losses, accs = [], []
    params = twin.parameters()
    for lo in range(0, 30, 8):
        Xb, yb = X[order[lo : lo + 8]], y[order[lo : lo + 8]]
        loss, acc = twin.forward_backward(Xb, yb)
        losses.append(loss)
        accs.append(acc)
        twin_opt.step(params, twin.gradients())
    assert len(losses) == 4
    assert record.train_loss == pytest.approx(np.mean(losses), rel=1e-12)
    assert record.train_accuracy == pytest.approx(np.mean(accs), rel=1e-12)
    assert math.isnan(record.val_loss) and math.isnan(record.val_accuracy)


def test_stop_flag_is_checked_before_every_mini_batch() -> None:
    X, y = spiral(n_per_class=20)
    calls = []

    def should_stop() -> bool:
        calls.append(1)
        return len(calls) > 5

    result = train(Network(2, [8], 3), SGD(0.1), X, y, epochs=3, batch_size=10,
                   should_stop=should_stop)
    assert result.status == "stopped"
    assert len(calls) == 6
    assert len(result.history) == 0  # 6 batches per epoch: the first epoch never finished


def test_on_epoch_true_stops_the_run() -> None:
    X, y = spiral(n_per_class=20)
    result = train(Network(2, [8], 3), SGD(0.1), X, y, epochs=10,
                   on_epoch=lambda record: record.epoch == 3)
    assert result.status == "stopped" and len(result.history) == 3


def test_patience_early_stops_when_val_loss_stalls() -> None:
    X, y = spiral(n_per_class=30)
    rng = np.random.default_rng(0)
    y_val = rng.integers(0, 3, 90)  # noise labels: val loss stops improving quickly
    result = train(Network(2, [32, 32], 3), Adam(0.05), X, y, X, y_val, epochs=200,
                   patience=3)
    assert result.status == "early_stopped"
    losses = [r.val_loss for r in result.history]
    best = int(np.argmin(losses))
    assert len(losses) == best + 1 + 3
    assert min(losses[best + 1 :]) >= losses[best]


def test_bad_arguments_name_the_field() -> None:
    X, y = spiral(n_per_class=10)
    net = Network(2, [4], 3)
    with pytest.raises(ConfigError, match="epochs"):
        train(net, SGD(0.1), X, y, epochs=0)
    with pytest.raises(ConfigError, match="batch_size"):
        train(net, SGD(0.1), X, y, epochs=1, batch_size=0)
    with pytest.raises(ConfigError, match="patience"):
        train(net, SGD(0.1), X, y, epochs=1, patience=2)  # no validation data
    with pytest.raises(DataError, match="X"):
        train(net, SGD(0.1), X[:, :1], y, epochs=1)
    with pytest.raises(DataError, match="y: labels"):
        train(net, SGD(0.1), X, y + 1, epochs=1)
    with pytest.raises(ConfigError, match="activation"):
        Network(2, [4], 3, activation="swish")
