"""The GUI thread's single source of truth for one study: trials, their curves, selection.

The run controller calls :meth:`StudyModel.apply` in the GUI thread with the core's events;
the table, the loss curves and the scatter read from here and listen to the signals. Work per
event is O(1) amortised: epochs go into per-trial numpy buffers that double when full, and
the best trial is updated incrementally.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal

from desktop_app.core.errors import ConfigError
from desktop_app.core.events import (
    EpochEnded,
    EpochValues,
    Event,
    StudyFinished,
    TrialFinished,
    TrialStarted,
    epoch_values,
)
from desktop_app.core.study import (
    METRIC_NAMES,
    Direction,
    Storage,
    TrialRecord,
    TrialState,
    best_trial,
)
from desktop_app.gui.live.stored_blocks import read_blocks

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


class TrialData:
    """One trial as the window sees it. Views read it; only :class:`StudyModel` writes it."""

    __slots__ = ("_buffer", "_n", "error", "metrics", "number", "params", "seconds", "state")

    def __init__(self, number: int, state: TrialState, params: dict[str, Any]) -> None:
        self.number = number
        self.state = state
        self.params = dict(params)
        self.metrics: dict[str, float] = dict.fromkeys(METRIC_NAMES, math.nan)
        self.seconds = 0.0
        self.error = ""
        self._buffer = np.full((len(SERIES), 16), np.nan)
        self._n = 0

    @property
    def epochs(self) -> int:
        """Number of epochs recorded so far."""
        return self._n

    def series(self, name: str) -> np.ndarray:
        """Per-epoch values of ``name`` (one of :data:`SERIES`): a contiguous view, no copy."""
        return self._buffer[SERIES.index(name), : self._n]

    def epoch_numbers(self) -> np.ndarray:
        """The x values ``1 .. epochs`` matching :meth:`series`."""
        return epoch_axis(self._n)

    def append(self, values: tuple[float, ...]) -> None:
        """Add one epoch (values in :data:`SERIES` order); doubles the buffer when full."""
        if self._n == self._buffer.shape[1]:
            grown = np.full((len(SERIES), 2 * self._n), np.nan)
            grown[:, : self._n] = self._buffer
            self._buffer = grown
        self._buffer[:, self._n] = values
        self._n += 1
        self.metrics = dict(zip(METRIC_NAMES, values, strict=False))

    def set_epochs(self, values: np.ndarray) -> None:
        """Replace every epoch at once (opening a stored study): ``values`` has a row per
        epoch and :data:`SERIES` as columns."""
        self._n = len(values)
        self._buffer = np.full((len(SERIES), max(16, self._n)), np.nan)
        self._buffer[:, : self._n] = values.T

    def truncate(self, n: int) -> None:
        """Forget epochs after the first ``n`` (a trial re-run or a repeated epoch)."""
        self._n = min(self._n, max(n, 0))


def _series_values(epoch: EpochValues) -> tuple[float, ...]:
    """The :data:`SERIES` of any epoch record (an ``EpochEnded`` or a stored ``EpochRow``)."""
    values = epoch_values(epoch)
    return tuple(values[name] for name in SERIES)


class StudyModel(QObject):
    """Trials of one study in arrival order, the study metric and direction, the selection.

    Signals: ``reset()`` (everything changed), ``trials_added(list[int])``,
    ``trials_changed(list[int])`` (one emission per :meth:`apply_many` batch),
    ``selection_changed(int | None)``, ``best_changed(int | None)``.
    """

    reset = Signal()
    trials_added = Signal(list)
    trials_changed = Signal(list)
    selection_changed = Signal(object)
    best_changed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._space: Any = None
        self._metric = "val_loss"
        self._direction = Direction.MINIMIZE
        self._trials: dict[int, TrialData] = {}
        self._order: list[int] = []
        self._rows: dict[int, int] = {}
        self._selected: int | None = None
        self._best: int | None = None

    # --- study --------------------------------------------------------------------------
    @property
    def space(self) -> Any:
        """The study's SearchSpace (None until :meth:`set_study`)."""
        return self._space

    @property
    def metric(self) -> str:
        """The study metric, one of train_loss, train_accuracy, val_loss, val_accuracy."""
        return self._metric

    @property
    def direction(self) -> Direction:
        """Which way the metric is better (a :class:`Direction`, equal to its string)."""
        return self._direction

    def param_names(self) -> list[str]:
        """Searched parameter names (from the space, else from the trials seen)."""
        if self._space is not None:
            return list(self._space.names)
        names: dict[str, None] = {}
        for trial in self._trials.values():
            names.update(dict.fromkeys(trial.params))
        return list(names)

    def set_study(self, space: Any, metric: str, direction: str) -> None:
        """Start showing a new study over ``space``; forgets every trial."""
        if metric not in METRIC_NAMES:
            names = ", ".join(METRIC_NAMES)
            raise ConfigError("metric", f"must be one of {names} (got {metric!r})")
        if direction not in tuple(Direction):
            raise ConfigError("direction", f"must be 'minimize' or 'maximize' (got {direction!r})")
        self._space, self._metric, self._direction = space, metric, Direction(direction)
        self.clear()

    def preview(self, config: Any) -> None:
        """While no trial is shown, take the space and metric of ``config`` (the sweep Run
        would start; None while the settings are invalid), so the axes, the x-parameter
        choices and the table's columns already name what the sweep will search."""
        if config is None or self._trials:
            return
        study = config.study
        if (self._space, self._metric, self._direction) != (config.space, study.metric,
                                                            study.direction):
            self.set_study(config.space, study.metric, study.direction)

    def load(self, storage: Storage, study_id: int) -> None:
        """Show every trial and epoch of a stored study (call :meth:`set_study` first);
        :class:`~desktop_app.gui.live.study_loader.StudyLoader` does it in the background."""
        self.clear()
        for block in read_blocks(storage, study_id):
            self.add_stored(block.records, block.epochs)

    def add_stored(self, records: list[TrialRecord], epochs: np.ndarray) -> None:
        """Add stored trials with their epochs (``Storage.get_epoch_array`` rows, ordered by
        number); emits ``trials_added`` once."""
        numbers = epochs[:, 0]
        keys = np.array([r.number for r in records], dtype=float)
        starts = np.searchsorted(numbers, keys, "left")
        ends = np.searchsorted(numbers, keys, "right")
        series = epochs[:, 2 : 2 + len(SERIES)]
        total = np.concatenate(([0.0], np.cumsum(np.nan_to_num(epochs[:, -1]))))
        seconds = total[ends] - total[starts]
        best = self._best
        for record, start, end, spent in zip(records, starts, ends, seconds, strict=True):
            trial = TrialData(record.number, TrialState(record.state), record.params)
            trial.set_epochs(series[start:end])
            trial.metrics.update(record.metrics)
            trial.seconds = record.seconds or float(spent)
            trial.error = record.error
            self._insert(trial)
        self._best = self._pick_best([best, *(r.number for r in records)])
        self.trials_added.emit([r.number for r in records])
        if self._best != best:
            self.best_changed.emit(self._best)

    def clear(self) -> None:
        """Forget every trial and the selection."""
        self._forget()
        self.reset.emit()
        self.best_changed.emit(None)

    def _forget(self) -> None:
        had_selection = self._selected is not None
        self._trials.clear()
        self._order.clear()
        self._rows.clear()
        self._selected = None
        self._best = None
        if had_selection:
            self.selection_changed.emit(None)

    # --- events -------------------------------------------------------------------------
    def apply(self, event: Event) -> None:
        """Apply one core event (GUI thread only)."""
        self.apply_many((event,))

    def apply_many(self, events: Iterable[Event]) -> None:
        """Apply a batch of events, emitting each signal at most once."""
        added: list[int] = []
        changed: dict[int, None] = {}
        best = self._best
        for event in events:
            if isinstance(event, StudyFinished):
                changed.update(dict.fromkeys(self._interrupt_running()))
                continue
            trial = self._trials.get(event.number)
            if trial is None:
                trial = TrialData(event.number, TrialState.RUNNING, getattr(event, "params", {}))
                self._insert(trial)
                added.append(event.number)
            elif event.number not in changed:
                changed[event.number] = None
            if isinstance(event, TrialStarted):
                self._start(trial, event)
            elif isinstance(event, EpochEnded):
                if event.epoch <= trial.epochs:
                    trial.truncate(event.epoch - 1)
                trial.append(_series_values(event))
                trial.seconds += event.seconds
            elif isinstance(event, TrialFinished):
                self._finish(trial, event)
        for number in added:
            changed.pop(number, None)
        if added:
            self.trials_added.emit(added)
        if changed:
            self.trials_changed.emit(list(changed))
        if self._best != best:
            self.best_changed.emit(self._best)

    def _start(self, trial: TrialData, event: TrialStarted) -> None:
        trial.state = TrialState.RUNNING
        trial.params = dict(event.params)
        trial.truncate(0)
        trial.metrics = dict.fromkeys(METRIC_NAMES, math.nan)
        trial.seconds, trial.error = 0.0, ""
        if self._best == trial.number:
            self._best = self._scan_best()

    def _finish(self, trial: TrialData, event: TrialFinished) -> None:
        """Take the final metrics and value the event carries (the worker computed them)."""
        trial.state = TrialState(event.state)
        trial.metrics.update(event.metrics)
        if self._metric not in event.metrics and not math.isnan(event.value):
            trial.metrics[self._metric] = event.value
        trial.seconds, trial.error = event.seconds, event.error
        if trial.number == self._best:
            self._best = self._scan_best()
        else:
            self._best = self._pick_best([trial.number, self._best])

    def _interrupt_running(self) -> list[int]:
        """A finished study has no running trial: mark any left over interrupted."""
        running = [n for n, t in self._trials.items() if t.state is TrialState.RUNNING]
        for number in running:
            self._trials[number].state = TrialState.INTERRUPTED
        return running

    def _insert(self, trial: TrialData) -> None:
        self._trials[trial.number] = trial
        self._rows[trial.number] = len(self._order)
        self._order.append(trial.number)

    # --- queries ------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._order)

    def __contains__(self, number: object) -> bool:
        return number in self._trials

    def numbers(self) -> list[int]:
        """Trial numbers in arrival order (the table's row order)."""
        return list(self._order)

    def number_at(self, row: int) -> int:
        """The trial number shown in ``row``."""
        return self._order[row]

    def row_of(self, number: int) -> int:
        """The row of trial ``number`` (``KeyError`` if unknown)."""
        return self._rows[number]

    def trial(self, number: int) -> TrialData:
        """Trial ``number`` (``KeyError`` if unknown)."""
        return self._trials[number]

    def trials(self) -> list[TrialData]:
        """Every trial in arrival order."""
        return [self._trials[n] for n in self._order]

    def value(self, number: int) -> float:
        """The study metric of a trial: final when finished, latest epoch while running."""
        return float(self._trials[number].metrics.get(self._metric, math.nan))

    def best_number(self) -> int | None:
        """The best trial by :func:`~desktop_app.core.study.best_trial`: the complete trial
        with the best finite metric (ties: the lower number)."""
        return self._best

    def _pick_best(self, numbers: Iterable[int | None]) -> int | None:
        best = best_trial(
            ((n, self._trials[n].state, self.value(n)) for n in numbers if n is not None),
            self._direction,
        )
        return None if best is None else best[0]

    def _scan_best(self) -> int | None:
        return self._pick_best(self._order)

    # --- selection ----------------------------------------------------------------------
    def selected(self) -> int | None:
        """The selected trial number, or None."""
        return self._selected

    def select(self, number: int | None) -> None:
        """Select a trial everywhere (None clears); unknown numbers clear the selection."""
        if number is not None and number not in self._trials:
            number = None
        if number != self._selected:
            self._selected = number
            self.selection_changed.emit(number)
