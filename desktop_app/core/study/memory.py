"""A study store that lives in memory: for tests, previews and sweeps nobody needs to keep.

It keeps params and configs as the same JSON text the SQLite store writes, so both backends
hand back identical plain data and every record is a fresh copy. A lock makes it safe to read
from the window's thread while the coordinator writes from another.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from desktop_app.core.study.jsoncodec import dump_json, load_json
from desktop_app.core.study.ownership import MemoryOwners, Ownership
from desktop_app.core.study.records import (
    FINISHED_STATES,
    EpochRow,
    StudyRecord,
    TrialRecord,
    TrialState,
)
from desktop_app.core.study.rules import (
    check_can_run,
    final_metrics,
    final_state,
    nan_metrics,
    plain_epoch,
)
from desktop_app.core.study.storage import Storage


@dataclass
class _Trial:
    """Mutable trial state behind the lock; records are built from it on every read."""

    study_id: int
    number: int
    state: TrialState
    params_json: str
    seed: int
    metrics: dict[str, float] = field(default_factory=nan_metrics)
    started: float | None = None
    finished: float | None = None
    error: str = ""
    log: str = ""
    weights: bytes | None = None
    rows: list[EpochRow] = field(default_factory=list)

    def record(self) -> TrialRecord:
        return TrialRecord(
            study_id=self.study_id,
            number=self.number,
            state=self.state,
            params=load_json(self.params_json),
            seed=self.seed,
            metrics=dict(self.metrics),
            epochs=self.rows[-1].epoch if self.rows else 0,
            started=self.started,
            finished=self.finished,
            error=self.error,
            log=self.log,
        )


@dataclass
class _Study:
    study_id: int
    name: str
    config_json: str
    created: float
    trials: list[_Trial] = field(default_factory=list)

    def record(self) -> StudyRecord:
        return StudyRecord(self.study_id, self.name, load_json(self.config_json), self.created)


class InMemoryStorage(Storage):
    """:class:`Storage` in a few dicts; study ids count from 1 and are never reused."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._studies: dict[int, _Study] = {}
        self._last_id = 0
        self._owners = MemoryOwners()

    # --- helpers (call with the lock held) -------------------------------------------------
    def _study(self, study_id: int) -> _Study:
        try:
            return self._studies[study_id]
        except KeyError:
            raise KeyError(f"no study with id {study_id}") from None

    def _trial(self, study_id: int, number: int) -> _Trial:
        trials = self._study(study_id).trials
        if not 0 <= number < len(trials):
            raise KeyError(f"study {study_id} has no trial {number}")
        return trials[number]

    def _by_name(self, name: str) -> _Study:
        for study in self._studies.values():
            if study.name == name:
                return study
        raise KeyError(f"no study named {name!r}")

    # --- studies ---------------------------------------------------------------------------
    def create_study(self, name: str, config: dict[str, Any]) -> StudyRecord:
        config_json = dump_json(config, "study config")
        with self._lock:
            if any(study.name == name for study in self._studies.values()):
                raise ValueError(f"a study named {name!r} already exists; pick another name")
            self._last_id += 1
            study = _Study(self._last_id, str(name), config_json, time.time())
            self._studies[study.study_id] = study
            return study.record()

    def get_study(self, name: str) -> StudyRecord:
        with self._lock:
            return self._by_name(name).record()

    def list_studies(self) -> list[StudyRecord]:
        with self._lock:
            return [study.record() for study in self._studies.values()]

    def delete_study(self, name: str) -> None:
        with self._lock:
            del self._studies[self._by_name(name).study_id]

    # --- trials ----------------------------------------------------------------------------
    def create_trial(
        self,
        study_id: int,
        params: dict[str, Any],
        seed: int,
        state: TrialState = TrialState.WAITING,
    ) -> TrialRecord:
        state = TrialState(state)
        params_json = dump_json(params, "trial params")
        now = time.time()
        with self._lock:
            trials = self._study(study_id).trials
            trial = _Trial(study_id, len(trials), state, params_json, int(seed))
            if state is TrialState.RUNNING or state in FINISHED_STATES:
                trial.started = now
            if state in FINISHED_STATES:
                trial.finished = now
            trials.append(trial)
            return trial.record()

    def set_trial_running(self, study_id: int, number: int, started: float | None = None) -> None:
        with self._lock:
            trial = self._trial(study_id, number)
            check_can_run(study_id, number, trial.state)
            trial.state = TrialState.RUNNING
            trial.started = time.time() if started is None else float(started)
            trial.finished, trial.error, trial.log = None, "", ""
            trial.metrics = nan_metrics()
            trial.rows = []

    def add_epoch(self, study_id: int, row: EpochRow) -> None:
        with self._lock:
            trial = self._trial(study_id, int(row.number))
            row = plain_epoch(row, trial.rows[-1].epoch if trial.rows else 0)
            trial.rows.append(row)
            trial.metrics = row.metrics()

    def finish_trial(
        self,
        study_id: int,
        number: int,
        state: TrialState,
        error: str = "",
        *,
        metrics: dict[str, float] | None = None,
        log: str = "",
    ) -> None:
        state = final_state(state)
        final = final_metrics(metrics)
        with self._lock:
            trial = self._trial(study_id, number)
            trial.state, trial.error, trial.finished = state, str(error), time.time()
            trial.metrics = {**trial.metrics, **final}
            trial.log = str(log)

    def get_trial(self, study_id: int, number: int) -> TrialRecord:
        with self._lock:
            return self._trial(study_id, number).record()

    def get_trials(
        self, study_id: int, states: Iterable[TrialState] | None = None
    ) -> list[TrialRecord]:
        wanted = None if states is None else {TrialState(s) for s in states}
        with self._lock:
            trials = self._study(study_id).trials
            return [t.record() for t in trials if wanted is None or t.state in wanted]

    def count_trials(self, study_id: int, states: Iterable[TrialState] | None = None) -> int:
        wanted = None if states is None else {TrialState(s) for s in states}
        with self._lock:
            trials = self._study(study_id).trials
            return sum(wanted is None or t.state in wanted for t in trials)

    def get_epochs(self, study_id: int, number: int | None = None) -> list[EpochRow]:
        with self._lock:
            if number is not None:
                return list(self._trial(study_id, number).rows)
            return [row for trial in self._study(study_id).trials for row in trial.rows]

    def interrupt_running(self, study_id: int) -> list[int]:
        with self._lock:
            running = [t for t in self._study(study_id).trials if t.state is TrialState.RUNNING]
            for trial in running:
                trial.state = TrialState.INTERRUPTED
            return [trial.number for trial in running]

    def put_weights(self, study_id: int, number: int, data: bytes) -> None:
        with self._lock:
            self._trial(study_id, number).weights = bytes(data)

    def get_weights(self, study_id: int, number: int) -> bytes | None:
        with self._lock:
            return self._trial(study_id, number).weights

    def drop_weights(self, study_id: int, number: int) -> None:
        with self._lock:
            self._trial(study_id, number).weights = None

    def weights_numbers(self, study_id: int) -> list[int]:
        with self._lock:
            return [t.number for t in self._study(study_id).trials if t.weights is not None]

    def own(self, name: str) -> Ownership:
        return self._owners.take(name)
