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
from desktop_app.core.events import EpochEnded, Event, StudyFinished, TrialFinished, TrialStarted
from desktop_app.core.study import (
    METRIC_NAMES,
    Direction,
    Storage,
    TrialRecord,
    TrialState,
    best_trial,
)
from desktop_app.gui.live.metric_names import MetricNames
from desktop_app.gui.live.stored_blocks import own_slices, read_blocks
from desktop_app.gui.live.trial_data import SERIES, TrialData, epoch_axis, series_values

__all__ = ["SERIES", "StudyModel", "TrialData", "epoch_axis"]

class StudyModel(QObject):
    """Trials of one study in arrival order, the study metric and direction, the selection.

    Signals: ``reset()`` (everything changed), ``trials_added(list[int])``,
    ``trials_changed(list[int])`` (one emission per :meth:`apply_many` batch),
    ``selection_changed(int | None)``, ``best_changed(int | None)``,
    ``metrics_changed(list[str])`` (the metrics the trials reported grew, see
    :meth:`metric_names`), ``kept_changed(frozenset | None)`` (a brush in the parallel
    coordinates or the 2-D map keeps these trials; None: every trial).
    """

    reset = Signal()
    trials_added = Signal(list)
    trials_changed = Signal(list)
    selection_changed = Signal(object)
    best_changed = Signal(object)
    metrics_changed = Signal(list)
    kept_changed = Signal(object)

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
        self._kept: frozenset[int] | None = None
        self._names = MetricNames()

    # --- study --------------------------------------------------------------------------
    @property
    def space(self) -> Any:
        """The study's SearchSpace (None until :meth:`set_study`)."""
        return self._space

    @property
    def metric(self) -> str:
        """The study metric: one of :data:`METRIC_NAMES`, or any name a trainer of the user's
        own reports (e.g. ``"f1"``)."""
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
        if not isinstance(metric, str) or not metric:
            names = ", ".join(METRIC_NAMES)
            raise ConfigError("metric", f"must be one of {names} or a metric your trainer "
                              f"reports (got {metric!r})")
        if direction not in tuple(Direction):
            raise ConfigError("direction", f"must be 'minimize' or 'maximize' (got {direction!r})")
        self._space, self._metric, self._direction = space, metric, Direction(direction)
        self.clear()

    def metric_names(self) -> list[str]:
        """The metrics the shown trials reported: those of :data:`METRIC_NAMES` with a value,
        in that order, then a trainer's own names, sorted (empty before any result)."""
        return self._names.names()

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
            self.add_stored(block.records, block.epochs, block.own, block.names)

    def add_stored(self, records: list[TrialRecord], epochs: np.ndarray,
                   own: dict[str, np.ndarray] | None = None, names: Iterable[str] = ()) -> None:
        """Add stored trials with their epochs (``Storage.get_epoch_array`` rows, ordered by
        number), ``own`` metrics (``Storage.get_metric_array`` rows per name) and the
        study's metric ``names``; emits ``trials_added`` once."""
        numbers = epochs[:, 0]
        keys = np.array([r.number for r in records], dtype=float)
        starts = np.searchsorted(numbers, keys, "left")
        ends = np.searchsorted(numbers, keys, "right")
        series = epochs[:, 2 : 2 + len(SERIES)]
        total = np.concatenate(([0.0], np.cumsum(np.nan_to_num(epochs[:, -1]))))
        seconds = total[ends] - total[starts]
        best = self._best
        extra = own_slices(own or {}, keys)
        for i, (record, start, end, spent) in enumerate(
                zip(records, starts, ends, seconds, strict=True)):
            trial = TrialData(record.number, TrialState(record.state), record.params)
            trial.set_epochs(series[start:end], extra(i))
            trial.metrics.update(record.metrics)
            trial.seconds = record.seconds or float(spent)
            trial.error = record.error
            self._insert(trial)
        self._best = self._pick_best([best, *(r.number for r in records)])
        self._names.update(names)
        self.trials_added.emit([r.number for r in records])
        self._emit_names()
        if self._best != best:
            self.best_changed.emit(self._best)

    def clear(self) -> None:
        """Forget every trial and the selection."""
        self._forget()
        self.reset.emit()
        self.best_changed.emit(None)

    def _forget(self) -> None:
        had_selection = self._selected is not None
        self._names = MetricNames()
        self._trials.clear()
        self._order.clear()
        self._rows.clear()
        self._selected = None
        self._best = None
        if had_selection:
            self.selection_changed.emit(None)
        if self._kept is not None:
            self._kept = None
            self.kept_changed.emit(None)

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
            if not isinstance(event, TrialStarted | EpochEnded | TrialFinished):
                continue  # a Notice (the window shows it) or anything newer: not a trial's
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
                trial.append(series_values(event), event.extra)
                trial.seconds += event.seconds
                self._names.see_epoch(event)
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
        self._emit_names()

    def _emit_names(self) -> None:
        if self._names.grew():
            self.metrics_changed.emit(self._names.names())

    def _start(self, trial: TrialData, event: TrialStarted) -> None:
        trial.state = TrialState.RUNNING
        trial.params = dict(event.params)
        trial.truncate(0)
        trial.metrics = dict.fromkeys(METRIC_NAMES, math.nan)
        trial.seconds, trial.error, trial.log = 0.0, "", ""
        if self._best == trial.number:
            self._best = self._scan_best()

    def _finish(self, trial: TrialData, event: TrialFinished) -> None:
        """Take the final metrics and value the event carries (the worker computed them)."""
        trial.state = TrialState(event.state)
        trial.metrics.update(event.metrics)
        if self._metric not in event.metrics and not math.isnan(event.value):
            trial.metrics[self._metric] = event.value
        trial.seconds, trial.error, trial.log = event.seconds, event.error, event.log
        self._names.update(event.metrics, values=event.metrics)
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

    def kept(self) -> frozenset[int] | None:
        """The trials a brush keeps (None: no brush, every trial counts)."""
        return self._kept

    def set_kept(self, numbers: Iterable[int] | None) -> None:
        """Keep these trials everywhere (the table shows only them; None: all again)."""
        kept = None if numbers is None else frozenset(int(n) for n in numbers)
        if kept != self._kept:
            self._kept = kept
            self.kept_changed.emit(kept)
