"""fit: the one training path of a sweep's trial and of panda mode."""

from __future__ import annotations

import pytest

from desktop_app.core.events import EpochEnded
from desktop_app.core.nn import ConstantLR, Optimizer
from desktop_app.core.runner.trial import run_trial
from desktop_app.core.trainers.network import fit
from tests.core.runner.helpers import task


def test_the_default_schedule_is_inverse_time_decay_by_lr_decay() -> None:
    t = task(learning_rate=0.04, lr_decay=0.5, epochs=3)
    result = fit(t.hyperparameters, t.data, t.seed)
    assert result.status == "complete"
    assert [r.learning_rate for r in result.history] == pytest.approx(
        [0.04, 0.04 / 1.5, 0.04 / 2.0], rel=1e-12)


def test_a_given_schedule_replaces_the_default() -> None:
    t = task(learning_rate=0.04, lr_decay=0.5, epochs=3)
    result = fit(t.hyperparameters, t.data, t.seed, schedule=ConstantLR())
    assert [r.learning_rate for r in result.history] == pytest.approx([0.04] * 3, rel=1e-12)


def test_a_trial_trains_exactly_like_fit() -> None:
    t = task(learning_rate=0.05, lr_decay=0.3)
    events: list[EpochEnded] = []
    finished = run_trial(t, events.append, lambda: False)
    result = fit(t.hyperparameters, t.data, t.seed)
    assert [(e.train_loss, e.val_loss, e.learning_rate) for e in events] == [
        (r.train_loss, r.val_loss, r.learning_rate) for r in result.history]
    assert finished.metrics["val_accuracy"] == result.history[-1].val_accuracy


def test_hooks_see_the_optimizer_first_then_every_mini_batch_and_epoch() -> None:
    t = task(epochs=2)
    calls: list[str] = []
    optimizers: list[Optimizer] = []

    def should_stop() -> bool:
        calls.append("batch")
        return False

    def on_optimizer(optimizer: Optimizer) -> None:
        calls.append("optimizer")
        optimizers.append(optimizer)

    result = fit(t.hyperparameters, t.data, t.seed, should_stop=should_stop,
                 on_epoch=lambda record: calls.append("epoch") and False,
                 on_optimizer=on_optimizer)
    assert result.status == "complete"
    assert calls[0] == "optimizer" and calls.count("optimizer") == 1
    assert calls.count("epoch") == 2 and calls[-1] == "epoch"
    assert calls.count("batch") > 2 and isinstance(optimizers[0], Optimizer)


def test_should_stop_at_once_stops_before_any_epoch() -> None:
    t = task()
    result = fit(t.hyperparameters, t.data, t.seed, should_stop=lambda: True)
    assert result.status == "stopped" and result.history == ()
