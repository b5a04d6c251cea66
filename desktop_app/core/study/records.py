"""Value objects the study storage hands out: trial states and frozen records."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class TrialState(StrEnum):
    """Life cycle of a trial. The string values are what the database and exports hold."""

    WAITING = "waiting"
    RUNNING = "running"
    COMPLETE = "complete"
    PRUNED = "pruned"
    DIVERGED = "diverged"
    FAILED = "failed"
    INTERRUPTED = "interrupted"

    @property
    def is_finished(self) -> bool:
        """Complete, pruned, diverged and failed trials count against the budget."""
        return self in FINISHED_STATES


FINISHED_STATES = frozenset(
    {TrialState.COMPLETE, TrialState.PRUNED, TrialState.DIVERGED, TrialState.FAILED}
)

METRIC_NAMES = ("train_loss", "train_accuracy", "val_loss", "val_accuracy")


def is_better(value: float, other: float | None, direction: str) -> bool:
    """Whether a finite ``value`` beats ``other`` (None: nothing yet) in ``direction``.

    The one rule for "best so far" (NaN never wins; ties do not), shared by the coordinator,
    the progress tracker and the window.
    """
    if not math.isfinite(value):
        return False
    if other is None:
        return True
    return value > other if direction == "maximize" else value < other


@dataclass(frozen=True)
class StudyRecord:
    """A study: its unique name and the whole config it was created from (plain JSON data)."""

    study_id: int
    name: str
    config: dict[str, Any]
    created: float


@dataclass(frozen=True)
class EpochRow:
    """One row per trial per epoch (``epoch`` counts from 1)."""

    number: int
    epoch: int
    train_loss: float
    train_accuracy: float
    val_loss: float
    val_accuracy: float
    learning_rate: float
    seconds: float = 0.0


@dataclass(frozen=True)
class TrialRecord:
    """A trial as stored. Metrics are those of its last epoch (NaN until it has one)."""

    study_id: int
    number: int
    state: TrialState
    params: dict[str, Any]
    seed: int
    metrics: dict[str, float] = field(default_factory=dict)
    epochs: int = 0
    started: float | None = None
    finished: float | None = None
    error: str = ""

    @property
    def seconds(self) -> float:
        """Wall time from start to finish (0 when it has not both)."""
        if self.started is None or self.finished is None:
            return 0.0
        return self.finished - self.started
