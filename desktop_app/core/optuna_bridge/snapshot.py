"""A read of an Optuna study as a read-only Caviar :class:`~desktop_app.core.study.Storage`,
so the window's study model loads it as it loads a study file, without copying 200,000
epoch rows into a store first. Every write is refused. A block of trials (what
:meth:`~.watching.Watcher.blocks` yields) is a snapshot too: the window loads each as it comes."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from operator import attrgetter
from typing import Any, NoReturn

import numpy as np

from desktop_app.core.optuna_bridge.importing import Imported
from desktop_app.core.study import (
    METRIC_NAMES,
    EpochRow,
    Storage,
    StudyRecord,
    TrialRecord,
    TrialState,
)
from desktop_app.core.study.storage import EPOCH_COLUMNS

STUDY_ID = 1


class Snapshot(Storage):
    """One translated Optuna study (study id :data:`STUDY_ID`), read-only."""

    def __init__(self, imported: Imported) -> None:
        plan = imported.plan
        self._study = StudyRecord(STUDY_ID, plan.name, plan.config, 0.0)
        self._trials = sorted(imported.trials, key=lambda t: t.number)
        self._numbers = [t.number for t in self._trials]

    def _read_only(self, *_: Any, **__: Any) -> NoReturn:
        raise PermissionError("an Optuna study is shown read-only")

    create_study = delete_study = create_trial = set_trial_running = _read_only
    add_epoch = finish_trial = interrupt_running = own = _read_only
    put_weights = drop_weights = _read_only

    def get_weights(self, study_id: int, number: int) -> bytes | None:
        return None  # an Optuna study keeps no model

    def weights_numbers(self, study_id: int) -> list[int]:
        return []

    def get_study(self, name: str) -> StudyRecord:
        if name != self._study.name:
            raise KeyError(name)
        return self._study

    def list_studies(self) -> list[StudyRecord]:
        return [self._study]

    def get_trial(self, study_id: int, number: int) -> TrialRecord:
        found = self._between(number, number + 1)
        if not found:
            raise KeyError(number)
        return self._record(found[0])

    def get_trial_range(self, study_id: int, first: int, stop: int) -> list[TrialRecord]:
        return [self._record(t) for t in self._between(first, stop)]

    def get_epoch_array(self, study_id: int, first: int = 0, stop: int | None = None
                        ) -> np.ndarray:
        columns = attrgetter(*EPOCH_COLUMNS)
        table = np.array([columns(row) for t in self._between(first, stop) for row in t.rows],
                         dtype=float)
        return table.reshape(len(table), len(EPOCH_COLUMNS))

    def _between(self, first: int, stop: int | None) -> list[Any]:
        """The translated trials numbered ``first <= number < stop``."""
        end = len(self._numbers) if stop is None else bisect_left(self._numbers, stop)
        return self._trials[bisect_left(self._numbers, first):end]

    def get_trials(
        self, study_id: int, states: Iterable[TrialState] | None = None
    ) -> list[TrialRecord]:
        wanted = None if states is None else set(states)
        return [self._record(t) for t in self._trials if wanted is None or t.state in wanted]

    def get_epochs(self, study_id: int, number: int | None = None) -> list[EpochRow]:
        return [row for t in self._trials if number is None or t.number == number
                for row in t.rows]

    @staticmethod
    def _record(trial: Any) -> TrialRecord:
        last = trial.rows[-1] if trial.rows else None
        metrics = {m: float("nan") if last is None else getattr(last, m) for m in METRIC_NAMES}
        return TrialRecord(STUDY_ID, trial.number, trial.state, trial.params, trial.seed,
                           metrics, len(trial.rows), error=trial.error)
