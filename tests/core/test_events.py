"""Events: the conversions from epoch records and the finished-trial result."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from desktop_app.core.events import (
    EPOCH_VALUES,
    METRIC_NAMES,
    EpochEnded,
    TrialFinished,
    epoch_metrics,
    epoch_values,
)


@dataclass
class Record:
    """An epoch record of the trainer's shape, with numpy numbers."""

    epoch: int = 3
    train_loss: float = np.float32(0.5)
    train_accuracy: float = np.float64(0.25)
    val_loss: float = np.float32(0.75)
    val_accuracy: float = np.float64(0.125)
    learning_rate: float = np.float32(0.0625)
    seconds: float = 2


def test_epoch_values_and_metrics_are_plain_floats_by_name() -> None:
    values = epoch_values(Record())
    assert list(values) == list(EPOCH_VALUES)
    assert values == {"train_loss": 0.5, "train_accuracy": 0.25, "val_loss": 0.75,
                      "val_accuracy": 0.125, "learning_rate": 0.0625, "seconds": 2.0}
    assert all(type(v) is float for v in values.values())
    assert epoch_metrics(Record()) == {name: values[name] for name in METRIC_NAMES}


def test_epoch_ended_from_record() -> None:
    event = EpochEnded.from_record("s", 4, Record(epoch=np.int64(3)))
    assert event == EpochEnded("s", 4, 3, 0.5, 0.25, 0.75, 0.125, 0.0625, 2.0)
    assert type(event.epoch) is int and type(event.train_loss) is float


def test_trial_finished_after_its_last_epoch() -> None:
    result = TrialFinished.after("s", 4, "complete", Record(), "val_loss", seconds=9.0)
    assert (result.value, result.epochs, result.seconds, result.error) == (0.75, 3, 9.0, "")
    assert result.metrics == epoch_metrics(Record())


def test_trial_finished_without_an_epoch_has_no_metrics_and_nan_value() -> None:
    result = TrialFinished.after("s", 4, "failed", None, "val_loss", seconds=1.0, error="boom")
    assert (result.state, result.epochs, result.metrics, result.error) == ("failed", 0, {}, "boom")
    assert math.isnan(result.value)


def test_at_epoch_restates_the_result_as_of_an_earlier_epoch() -> None:
    result = TrialFinished.after("s", 4, "complete", Record(epoch=6), "val_accuracy",
                                 seconds=5.0, error="x")
    earlier = result.at_epoch(EpochEnded("s", 4, 2, 1.0, 0.1, 2.0, 0.2, 0.01, 0.5),
                              "val_accuracy")
    assert (earlier.state, earlier.epochs, earlier.value, earlier.seconds, earlier.error) == (
        "complete", 2, 0.2, 5.0, "x")
    assert earlier.metrics == {"train_loss": 1.0, "train_accuracy": 0.1, "val_loss": 2.0,
                               "val_accuracy": 0.2}
    none = result.at_epoch(None, "val_accuracy")
    assert (none.epochs, none.metrics) == (0, {}) and math.isnan(none.value)
