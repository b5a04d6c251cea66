"""The shared rules of the records: "best so far", the best trial, directions, epoch rows."""

from __future__ import annotations

import math

import numpy as np
import pytest

from desktop_app.core.events import EpochEnded
from desktop_app.core.study import Direction, EpochRow, TrialState, best_trial, is_better

NAN = float("nan")


def test_is_better_follows_direction_and_never_picks_nan() -> None:
    assert is_better(0.9, None, "maximize") and is_better(0.1, None, "minimize")
    assert is_better(0.9, 0.8, "maximize") and not is_better(0.8, 0.9, "maximize")
    assert is_better(0.1, 0.2, "minimize") and not is_better(0.2, 0.1, "minimize")
    assert not is_better(0.5, 0.5, "maximize")  # ties keep the earlier best
    assert not is_better(float("nan"), None, "minimize")
    assert not is_better(float("inf"), 1.0, "maximize")
    assert is_better(0.9, 0.8, Direction.MAXIMIZE) and is_better(0.1, 0.2, Direction.MINIMIZE)


def test_direction_values_are_the_config_strings() -> None:
    assert [d.value for d in Direction] == ["maximize", "minimize"]  # alphabetical
    assert Direction("minimize") is Direction.MINIMIZE
    assert Direction.MAXIMIZE == "maximize" and f"{Direction.MAXIMIZE}" == "maximize"
    with pytest.raises(ValueError):
        Direction("max")


@pytest.mark.parametrize(("direction", "best"), [("maximize", (2, 0.9)), ("minimize", (0, 0.1))])
def test_best_trial_follows_the_direction(direction: str, best: tuple) -> None:
    trials = [(0, "complete", 0.1), (1, "complete", 0.5), (2, TrialState.COMPLETE, 0.9)]
    assert best_trial(trials, direction) == best


def test_best_trial_counts_only_complete_trials_with_a_finite_value() -> None:
    trials = [(0, "pruned", 0.1), (1, "complete", NAN), (2, "diverged", 0.0),
              (3, "running", 0.0), (4, "complete", 0.7), (5, "complete", math.inf)]
    assert best_trial(trials, "minimize") == (4, 0.7)
    assert best_trial(trials[:4], "minimize") is None
    assert best_trial([], "maximize") is None


@pytest.mark.parametrize("direction", list(Direction))
def test_best_trial_tie_goes_to_the_lowest_number_whatever_the_order(direction: str) -> None:
    trials = [(5, "complete", 0.5), (2, "complete", 0.5), (7, "complete", 0.5)]
    assert best_trial(trials, direction) == (2, 0.5)
    assert best_trial(reversed(trials), direction) == (2, 0.5)


def test_epoch_row_from_event_keeps_every_value() -> None:
    event = EpochEnded("s", 3, 2, 0.5, 0.6, 0.7, 0.8, 0.01, 1.5)
    assert EpochRow.from_event(event) == EpochRow(3, 2, 0.5, 0.6, 0.7, 0.8, 0.01, 1.5)


def test_epoch_row_plain_gives_python_numbers_and_its_metrics() -> None:
    row = EpochRow(np.int64(1), np.int32(4), np.float32(0.5), np.float64(0.25), 1, 0.75,
                   np.float32(0.125), 2)
    plain = row.plain()
    assert plain == EpochRow(1, 4, 0.5, 0.25, 1.0, 0.75, 0.125, 2.0)
    assert [type(v) for v in vars(plain).values()] == [int, int] + [float] * 6 + [dict]
    assert row.metrics() == {"train_loss": 0.5, "train_accuracy": 0.25, "val_loss": 1.0,
                             "val_accuracy": 0.75}
    assert all(type(v) is float for v in row.metrics().values())
