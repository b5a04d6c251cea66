"""The storage interface: a few small verbs every backend implements.

Backends: :class:`~desktop_app.core.study.memory.InMemoryStorage` and
:class:`~desktop_app.core.study.sqlite.SQLiteStorage`. One shared test class
(``tests/core/study/storage_contract.py``) runs against each of them.

Rules every backend keeps:
- values in and out are plain JSON data (dict/list/str/float/int/bool/None); nothing is pickled;
- trial numbers are 0, 1, 2, ... per study, assigned by :meth:`create_trial`;
- every write is durable when the call returns (SQLite commits each call), except
  :meth:`set_trial_running` and :meth:`add_epoch`, which a backend may hold for up to 0.1 s or
  until its next other write (SQLite commits a trial's last epochs with its ``finish_trial``),
  and the writes inside :meth:`batch`, durable when it ends: a crash, even ``kill -9``, loses
  no trial finished outside a batch or in a batch that ended, and at most the last 0.1 s of
  starts and epochs of running trials;
- records returned are frozen copies; mutating what was passed in never changes what is stored;
- unknown study names / trial numbers raise :class:`KeyError`; a duplicate study name raises
  :class:`ValueError`;
- a trial runs (``set_trial_running``) before its first ``add_epoch``; epochs arrive in order
  counting from 1; ``finish_trial`` takes a final state; a finished trial never runs again
  (``ValueError``), nor does a running one start again. ``desktop_app/core/study/rules.py``
  holds these checks for every backend;
- one program at a time runs a study: it takes :meth:`own` first and keeps it for the whole run
  (only the owner starts, finishes or interrupts trials); readers never take it.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Self

import numpy as np

from desktop_app.core.study.ownership import Ownership
from desktop_app.core.study.records import (
    METRIC_NAMES,
    EpochRow,
    StudyRecord,
    TrialRecord,
    TrialState,
)


def ordered_metric_names(names: Iterable[str]) -> list[str]:
    """Metric names in the order every view lists them: :data:`METRIC_NAMES` first, in their
    order, then any others sorted."""
    names = set(names)
    return [m for m in METRIC_NAMES if m in names] + sorted(names - set(METRIC_NAMES))


EPOCH_COLUMNS = ("number", "epoch", *METRIC_NAMES, "learning_rate", "seconds")
"""Columns of :meth:`Storage.get_epoch_array`, in order."""


class Storage(ABC):
    """Abstract study store."""

    # --- studies -------------------------------------------------------------------------
    @abstractmethod
    def create_study(self, name: str, config: dict[str, Any]) -> StudyRecord:
        """Create a study; ``ValueError`` if the name is taken."""

    @abstractmethod
    def get_study(self, name: str) -> StudyRecord:
        """The study called ``name``; ``KeyError`` if there is none."""

    @abstractmethod
    def list_studies(self) -> list[StudyRecord]:
        """All studies, oldest first."""

    @abstractmethod
    def delete_study(self, name: str) -> None:
        """Remove a study with its trials and epochs."""

    # --- trials --------------------------------------------------------------------------
    @abstractmethod
    def create_trial(
        self,
        study_id: int,
        params: dict[str, Any],
        seed: int,
        state: TrialState = TrialState.WAITING,
    ) -> TrialRecord:
        """Add a trial with the next free number."""

    @abstractmethod
    def set_trial_running(self, study_id: int, number: int, started: float | None = None) -> None:
        """Mark a trial running and stamp its start time (a re-run clears old epochs).

        ``started`` (seconds since the epoch) replaces "now" for a run recorded after it
        happened, such as a babysat panda run, so its ``seconds`` is the real training time."""

    @abstractmethod
    def add_epoch(self, study_id: int, row: EpochRow) -> None:
        """Store one epoch and make it the trial's latest metrics; durable within 0.1 s or with
        the next other write (see the rules above); this store's reads see it at once."""

    @abstractmethod
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
        """Give a trial its final state (and error text) and stamp its finish time.

        ``metrics`` (the final metrics a trainer returned) update the trial's latest ones;
        ``log`` is kept as what its program printed."""

    @abstractmethod
    def get_trial(self, study_id: int, number: int) -> TrialRecord:
        """One trial; ``KeyError`` if there is none."""

    @abstractmethod
    def get_trials(
        self, study_id: int, states: Iterable[TrialState] | None = None
    ) -> list[TrialRecord]:
        """Trials of a study ordered by number, optionally only those in ``states``."""

    def count_trials(self, study_id: int, states: Iterable[TrialState] | None = None) -> int:
        """How many trials the study holds, optionally only those in ``states``; ``KeyError``
        for an unknown study. Backends may count without reading the trials."""
        return len(self.get_trials(study_id, states))

    @abstractmethod
    def get_epochs(self, study_id: int, number: int | None = None) -> list[EpochRow]:
        """Epoch rows of one trial (or of all trials), ordered by (number, epoch)."""

    def get_trial_range(self, study_id: int, first: int, stop: int) -> list[TrialRecord]:
        """Trials ``first <= number < stop`` ordered by number (a block of a big study).
        Backends may do it faster."""
        return [t for t in self.get_trials(study_id) if first <= t.number < stop]

    def get_epoch_array(self, study_id: int, first: int = 0, stop: int | None = None
                        ) -> np.ndarray:
        """Epochs of trials ``first <= number < stop`` as one float array, a row per epoch
        and :data:`EPOCH_COLUMNS` as columns (NaN for NULL), ordered by (number, epoch): the
        bulk read of a big study (no Python object per row). Backends may do it faster."""
        rows = [r for r in self.get_epochs(study_id)
                if r.number >= first and (stop is None or r.number < stop)]
        table = np.array([[getattr(r, c) for c in EPOCH_COLUMNS] for r in rows], dtype=float)
        return table.reshape(len(rows), len(EPOCH_COLUMNS))

    def get_metric_array(self, study_id: int, name: str, first: int = 0,
                         stop: int | None = None) -> np.ndarray:
        """Metric ``name`` (a column of :data:`EPOCH_COLUMNS` or a trainer's own metric) of
        every epoch of trials ``first <= number < stop`` as rows ``(number, epoch, value)``
        (NaN where an epoch did not report it), ordered by (number, epoch)."""
        rows = [(r.number, r.epoch, r.metrics().get(name, getattr(r, name, math.nan)))
                for r in self.get_epochs(study_id)
                if r.number >= first and (stop is None or r.number < stop)]
        return np.array(rows, dtype=float).reshape(len(rows), 3)

    def metric_names(self, study_id: int) -> list[str]:
        """The metrics the study's trials reported: those of :data:`METRIC_NAMES` some trial
        has a value for, in that order, then the trainer's own names, sorted."""
        seen: set[str] = set()
        for trial in self.get_trials(study_id):
            seen.update(k for k, v in trial.metrics.items()
                        if k not in METRIC_NAMES or not math.isnan(v))
        return ordered_metric_names(seen)

    # --- weights (the trained models of the best trials) -----------------------------------
    @abstractmethod
    def put_weights(self, study_id: int, number: int, data: bytes) -> None:
        """Keep trial ``number``'s trained model (the bytes of an ``.npz`` file; never a
        pickle), replacing any it had; ``KeyError`` for an unknown trial."""

    @abstractmethod
    def get_weights(self, study_id: int, number: int) -> bytes | None:
        """The model kept for trial ``number`` (None when none is kept)."""

    @abstractmethod
    def drop_weights(self, study_id: int, number: int) -> None:
        """Forget trial ``number``'s model (nothing happens when none is kept)."""

    @abstractmethod
    def weights_numbers(self, study_id: int) -> list[int]:
        """The trials whose model is kept, in number order."""

    @abstractmethod
    def interrupt_running(self, study_id: int) -> list[int]:
        """Mark every running trial interrupted (after a crash); return their numbers.

        Only the study's new owner calls it: trials still running then were its dead
        predecessor's.
        """

    @abstractmethod
    def own(self, name: str) -> Ownership:
        """Become the one program that runs study ``name`` until the ownership is released;
        :class:`~desktop_app.core.study.ownership.StudyBusyError` naming the owner if another
        live program has it."""

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Writes inside are made durable together when the block ends (SQLite: one
        transaction, one commit, instead of one per verb); reads inside see them. If the block
        raises, a backend may lose them all. Nested blocks join the outer one. Default: every
        verb is durable on its own, as outside a batch."""
        yield

    def close(self) -> None:  # noqa: B027 - optional hook, nothing to release by default
        """Release files and connections."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
