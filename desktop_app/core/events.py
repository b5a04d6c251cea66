"""Plain frozen events that a running study reports to whoever drives it.

They are the only values that cross threads (and processes): the command line prints them,
the window turns them into Qt signals. Every field is an immutable value; ``params`` is a
``MappingProxyType``-free plain ``dict`` copy owned by the event, never mutated after creation.

This bottom layer also names the numbers of an epoch once (:data:`METRIC_NAMES`,
:data:`EPOCH_VALUES`): every conversion between epoch records (the trainer's, the events, the
study's rows) copies them by these names, duck-typed, so it imports neither ``nn`` nor
``study``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Protocol, Self

METRIC_NAMES = ("train_loss", "train_accuracy", "val_loss", "val_accuracy")
"""The four metrics of an epoch: the keys of :attr:`TrialFinished.metrics` and the values a
study can be judged by (``study.metric``)."""

EPOCH_VALUES = (*METRIC_NAMES, "learning_rate", "seconds")
"""The numbers of one epoch besides its trial number and ``epoch``, under the same names in
every epoch record: the trainer's ``EpochRecord``, :class:`EpochEnded` and the study's
``EpochRow``. The conversions between them (:meth:`EpochEnded.from_record`,
``EpochRow.from_event``, ``EpochRow.plain``) copy exactly these names, so a new epoch value is
added here once."""


class EpochValues(Protocol):
    """Any epoch record: it has ``epoch`` and every name in :data:`EPOCH_VALUES`."""

    epoch: int
    train_loss: float
    train_accuracy: float
    val_loss: float
    val_accuracy: float
    learning_rate: float
    seconds: float


def epoch_values(epoch: EpochValues) -> dict[str, float]:
    """The :data:`EPOCH_VALUES` of an epoch record as plain Python floats."""
    return {name: float(getattr(epoch, name)) for name in EPOCH_VALUES}


def epoch_metrics(epoch: EpochValues) -> dict[str, float]:
    """The metrics of an epoch record as plain Python floats: the :data:`METRIC_NAMES` (NaN
    when not reported) and, for a trainer of the user's own, every other metric it reported
    (the record's ``extra``)."""
    metrics = {name: float(getattr(epoch, name)) for name in METRIC_NAMES}
    metrics.update(getattr(epoch, "extra", None) or {})
    return metrics


def metric_of(epoch: EpochValues, name: str) -> float:
    """Metric ``name`` of an epoch record (one of :data:`METRIC_NAMES` or an ``extra`` one);
    NaN when that epoch did not report it."""
    if name in EPOCH_VALUES:
        return float(getattr(epoch, name))
    return float((getattr(epoch, "extra", None) or {}).get(name, math.nan))


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
    """One epoch of one trial finished (``epoch`` counts from 1).

    A trainer of the user's own may report any metric names: the :data:`METRIC_NAMES` among
    them fill their fields (NaN when not reported), every other one is in ``extra``.
    """

    study: str
    number: int
    epoch: int
    train_loss: float
    train_accuracy: float
    val_loss: float
    val_accuracy: float
    learning_rate: float
    seconds: float
    extra: dict[str, float] = field(default_factory=dict)

    @classmethod
    def from_record(cls, study: str, number: int, record: EpochValues) -> Self:
        """The event for epoch ``record`` (any epoch record, e.g. the trainer's
        ``EpochRecord``) of trial ``number``, its values as plain Python numbers."""
        return cls(study, int(number), int(record.epoch), **epoch_values(record),
                   extra=dict(getattr(record, "extra", None) or {}))

    def metric(self, name: str) -> float:
        """The value of metric ``name`` at this epoch (NaN when it was not reported)."""
        return metric_of(self, name)


@dataclass(frozen=True)
class TrialFinished:
    """A trial ended: ``state`` is a :class:`~desktop_app.core.study.TrialState` value.

    ``metrics`` are those of the last epoch (:func:`epoch_metrics`; empty when there is none)
    updated by the trainer's final metrics, ``value`` is the study metric among them (NaN when
    there is none) and ``epochs`` the number of the last epoch; ``error`` holds the error text
    of a failed trial and ``log`` what a trainer's program printed (bounded); ``weights`` the
    ``.npz`` bytes of its trained model when the trainer saved one (the coordinator keeps
    those of the best trials). The worker computes them once (:meth:`after`); whoever receives
    the event uses what it carries.
    """

    study: str
    number: int
    state: str
    value: float
    epochs: int
    seconds: float
    metrics: dict[str, float] = field(default_factory=dict)
    error: str = ""
    log: str = ""
    weights: bytes = field(default=b"", repr=False)

    @classmethod
    def after(
        cls,
        study: str,
        number: int,
        state: str,
        last: EpochValues | None,
        metric: str,
        *,
        seconds: float,
        error: str = "",
        final: dict[str, float] | None = None,
        log: str = "",
        weights: bytes = b"",
    ) -> Self:
        """A trial that ended ``state`` after epoch ``last`` (None: no epoch ran).

        Its ``metrics`` are those of ``last`` updated by ``final`` (the metrics a trainer
        returned), its ``value`` is ``metric`` among them and its ``epochs`` is ``last.epoch``
        (NaN and 0 without an epoch).
        """
        metrics = {} if last is None else epoch_metrics(last)
        metrics.update(final or {})
        epochs = 0 if last is None else int(last.epoch)
        return cls(study, number, state, metrics.get(metric, math.nan), epochs, seconds,
                   metrics, error, log, weights)

    def at_epoch(self, last: EpochValues | None, metric: str) -> Self:
        """This result as of epoch ``last`` instead (None: no epoch), e.g. when fewer epochs
        counted than the worker ran; state, seconds, error and log are kept (final metrics
        and weights are not: they belong to the run as the worker ended it)."""
        return self.after(self.study, self.number, self.state, last, metric,
                          seconds=self.seconds, error=self.error, log=self.log)


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


@dataclass(frozen=True)
class Notice:
    """Something the user should know once while the sweep goes on, e.g. that the trainer
    never reports the study metric (the command line prints it, the window shows it)."""

    study: str
    text: str


Event = TrialStarted | EpochEnded | TrialFinished | StudyFinished | Notice
