"""Value objects the study storage hands out: trial states and frozen records."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Self

from desktop_app.core.events import METRIC_NAMES as METRIC_NAMES  # defined once, with the events
from desktop_app.core.events import EpochEnded, epoch_metrics, epoch_values


def nan_if_not_finite(value: float) -> float:
    """``value`` as a float, NaN for ±inf (own metrics are stored as JSON, which has no inf)."""
    number = float(value)
    return number if math.isfinite(number) else math.nan


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


class Direction(StrEnum):
    """Which way a study's metric is better. The string values are what configs (``study.
    direction``) and study files hold; members are listed alphabetically, the order error
    messages name them in. A member equals its string, so ``"maximize" == Direction.MAXIMIZE``.
    """

    MAXIMIZE = "maximize"
    MINIMIZE = "minimize"


def is_better(value: float, other: float | None, direction: Direction | str) -> bool:
    """Whether a finite ``value`` beats ``other`` (None: nothing yet) in ``direction``.

    The one comparison behind "best so far": NaN never wins, and neither does a tie (see
    :func:`best_trial` for who wins one).
    """
    if not math.isfinite(value):
        return False
    if other is None:
        return True
    return value > other if direction == Direction.MAXIMIZE else value < other


def best_trial(
    trials: Iterable[tuple[int, TrialState | str, float]], direction: Direction | str
) -> tuple[int, float] | None:
    """The best of ``(number, state, value)`` trials as ``(number, value)``; None if none counts.

    The one rule for "the best trial", used by the coordinator, the progress tracker and the
    window: only a ``complete`` trial with a finite value counts, the better value by
    :func:`is_better` wins, and of equal values the **lowest trial number** wins, whatever the
    order the trials arrive in (so a live sweep, a resumed one and a reopened study agree).
    """
    best: tuple[int, float] | None = None
    for number, state, value in trials:
        if state != TrialState.COMPLETE or not math.isfinite(value):
            continue
        if (best is None or is_better(value, best[1], direction)
                or (value == best[1] and number < best[0])):
            best = (number, value)
    return best


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
    extra: dict[str, float] = field(default_factory=dict)

    @classmethod
    def from_event(cls, event: EpochEnded) -> Self:
        """The row that stores epoch ``event``."""
        return cls(number=event.number, epoch=event.epoch, **epoch_values(event),
                   extra=dict(event.extra))

    def plain(self) -> Self:
        """This row with plain Python numbers (``int`` number and epoch, ``float`` values);
        a non-finite own metric becomes NaN, as every backend stores it."""
        return type(self)(number=int(self.number), epoch=int(self.epoch), **epoch_values(self),
                          extra={str(k): nan_if_not_finite(v) for k, v in self.extra.items()})

    def metrics(self) -> dict[str, float]:
        """The metrics of this epoch: the :data:`METRIC_NAMES` and any ``extra`` ones."""
        return epoch_metrics(self)


@dataclass(frozen=True)
class TrialRecord:
    """A trial as stored. Metrics are those of its last epoch (NaN until it has one) updated
    by the final metrics its trainer returned; ``log`` is what its program printed."""

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
    log: str = ""

    @property
    def seconds(self) -> float:
        """Wall time from start to finish (0 when it has not both)."""
        if self.started is None or self.finished is None:
            return 0.0
        return self.finished - self.started
