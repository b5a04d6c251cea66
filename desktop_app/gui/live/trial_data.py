"""One trial as the window sees it: its state, parameters, latest metrics and per-epoch series.

The built-in series (:data:`SERIES`) live in one numpy buffer per trial that doubles when
full; a trainer of the user's own may report other metrics too (``EpochEnded.extra``), kept in
a buffer per name only for the trials that have them, so Caviar's network pays nothing extra.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from desktop_app.core.events import METRIC_NAMES, EpochValues, epoch_values
from desktop_app.core.study import TrialState

SERIES = (*METRIC_NAMES, "learning_rate")
"""Per-epoch series kept for every trial, in buffer row order."""

_epoch_axis: list[np.ndarray] = [np.empty(0)]


def epoch_axis(n: int) -> np.ndarray:
    """A read-only view of ``1.0 .. n`` shared by every trial (epochs count from 1)."""
    if n > _epoch_axis[0].size:
        axis = np.arange(1, max(n, 2 * _epoch_axis[0].size, 64) + 1, dtype=np.float64)
        axis.flags.writeable = False
        _epoch_axis[0] = axis
    return _epoch_axis[0][:n]


def series_values(epoch: EpochValues) -> tuple[float, ...]:
    """The :data:`SERIES` of any epoch record (an ``EpochEnded`` or a stored ``EpochRow``)."""
    values = epoch_values(epoch)
    return tuple(values[name] for name in SERIES)


class TrialData:
    """One trial as the window sees it. Views read it; only ``StudyModel`` writes it.

    ``error`` is a failed trial's reason; ``log`` what its program printed, as far as the
    window saw it live (an opened study's logs stay in the file until asked for).
    """

    __slots__ = ("_buffer", "_extra", "_n", "error", "log", "metrics", "number", "params",
                 "seconds", "state")

    def __init__(self, number: int, state: TrialState, params: dict[str, Any]) -> None:
        self.number = number
        self.state = state
        self.params = dict(params)
        self.metrics: dict[str, float] = dict.fromkeys(METRIC_NAMES, math.nan)
        self.seconds = 0.0
        self.error = ""
        self.log = ""
        self._buffer = np.full((len(SERIES), 16), np.nan)
        self._extra: dict[str, np.ndarray] | None = None  # own metric -> per-epoch values
        self._n = 0

    @property
    def epochs(self) -> int:
        """Number of epochs recorded so far."""
        return self._n

    def series(self, name: str) -> np.ndarray:
        """Per-epoch values of ``name`` (one of :data:`SERIES`, or a trainer's own metric:
        NaN where an epoch did not report it). The built-in ones are views, no copy."""
        if name in SERIES:
            return self._buffer[SERIES.index(name), : self._n]
        own = self._extra.get(name) if self._extra else None
        return own[: self._n] if own is not None else np.full(self._n, np.nan)

    def own_series(self) -> list[str]:
        """The names of the trainer's own metrics this trial reported per epoch."""
        return list(self._extra or ())

    def epoch_numbers(self) -> np.ndarray:
        """The x values ``1 .. epochs`` matching :meth:`series`."""
        return epoch_axis(self._n)

    def append(self, values: tuple[float, ...], extra: dict[str, float] | None = None) -> None:
        """Add one epoch (values in :data:`SERIES` order, ``extra`` the trainer's own
        metrics); doubles the buffers when full."""
        if self._n == self._buffer.shape[1]:
            grown = np.full((len(SERIES), 2 * self._n), np.nan)
            grown[:, : self._n] = self._buffer
            self._buffer = grown
            if self._extra:
                self._extra = {k: _grown(v, 2 * self._n) for k, v in self._extra.items()}
        self._buffer[:, self._n] = values
        self.metrics = dict(zip(METRIC_NAMES, values, strict=False))
        if extra or self._extra:
            self._append_extra(extra or {})
        self._n += 1

    def _append_extra(self, extra: dict[str, float]) -> None:
        own = self._extra if self._extra is not None else {}
        for name in extra.keys() - own.keys():
            own[name] = np.full(self._buffer.shape[1], np.nan)
        for name, buffer in own.items():
            buffer[self._n] = extra.get(name, math.nan)
        self._extra = own
        self.metrics.update(extra)

    def set_epochs(self, values: np.ndarray, extra: dict[str, np.ndarray] | None = None) -> None:
        """Replace every epoch at once (opening a stored study): ``values`` has a row per
        epoch and :data:`SERIES` as columns; ``extra`` an own metric's per-epoch values."""
        self._n = len(values)
        size = max(16, self._n)
        self._buffer = np.full((len(SERIES), size), np.nan)
        self._buffer[:, : self._n] = values.T
        self._extra = {k: _grown(v, size) for k, v in extra.items()} if extra else None

    def truncate(self, n: int) -> None:
        """Forget epochs after the first ``n`` (a trial re-run or a repeated epoch)."""
        self._n = min(self._n, max(n, 0))


def _grown(values: np.ndarray, size: int) -> np.ndarray:
    """``values`` in a NaN-padded buffer of ``size`` (at least its length)."""
    buffer = np.full(max(size, len(values)), np.nan)
    buffer[: len(values)] = values
    return buffer
