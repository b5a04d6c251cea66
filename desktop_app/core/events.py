"""Plain frozen events that a running study reports to whoever drives it.

They are the only values that cross threads (and processes): the command line prints them,
the window turns them into Qt signals. Every field is an immutable value; ``params`` is a
``MappingProxyType``-free plain ``dict`` copy owned by the event, never mutated after creation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class TrialStarted:
    """A trial was handed to a worker."""

    study: str
    number: int
    params: dict[str, Any]
    seed: int
    worker: str = ""


@dataclass(frozen=True)
class EpochEnded:
    """One epoch of one trial finished (``epoch`` counts from 1)."""

    study: str
    number: int
    epoch: int
    train_loss: float
    train_accuracy: float
    val_loss: float
    val_accuracy: float
    learning_rate: float
    seconds: float


@dataclass(frozen=True)
class TrialFinished:
    """A trial ended: ``state`` is a :class:`~desktop_app.core.study.TrialState` value.

    ``value`` is the study metric of the last epoch (NaN when there is none); ``error`` holds
    the error text of a failed trial.
    """

    study: str
    number: int
    state: str
    value: float
    epochs: int
    seconds: float
    metrics: dict[str, float] = field(default_factory=dict)
    error: str = ""


@dataclass(frozen=True)
class StudyFinished:
    """The sweep ended: its budget is done, or it was stopped (``stopped`` is True)."""

    study: str
    finished: int
    budget: int
    best_number: int | None
    best_value: float | None
    stopped: bool
    message: str = ""


Event = TrialStarted | EpochEnded | TrialFinished | StudyFinished
