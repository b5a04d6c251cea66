"""The trials of one Optuna study as last read, re-read incrementally, fast where it can be.

An RDB storage is read by :class:`~.rdb_reader.ColumnReader` (Optuna's tables by columns,
~7x faster than Optuna's ORM read), in blocks of trial ids so the window can show the first
trials at once. Each later read takes only what can have changed, by Optuna's own rule
(``_CachedStorage``): trials above the last finished trial id, and the unfinished ones. Any
surprise on that path (another Optuna version, an SQL error) reads through the public
``Study.get_trials`` instead, so the worst case is Optuna's own speed, never another answer.
A journal storage always takes the public path (Optuna must replay the log).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import optuna
from optuna.storages import BaseStorage, RDBStorage
from optuna.trial import FrozenTrial

from desktop_app.core.optuna_bridge.rdb_reader import ColumnReader, Outline

BLOCK = 1000
"""Trials per block of a first read: one block joins the window's views in a frame or two."""
FIRST_BLOCK = 100
"""Trials in the first block: shown at once, and the table fits its columns to these rows
(Qt looks at up to 1,000 rows, which took 0.7 s of the GUI thread while the read went on)."""

_log = logging.getLogger(__name__)


class TrialFeed:
    """Study ``study`` of ``storage`` (already opened read-only), read by :meth:`read`."""

    def __init__(self, storage: BaseStorage, study: optuna.Study) -> None:
        self._study = study
        self._reader: ColumnReader | None = None
        if isinstance(storage, RDBStorage):
            try:
                self._reader = ColumnReader(
                    storage, storage.get_study_id_from_name(study.study_name))
            except Exception as exc:  # an Optuna whose models differ: the public path
                _log.info("reading %s through Optuna's get_trials: %s", study.study_name, exc)
        self._trials: dict[int, FrozenTrial] = {}
        self._unfinished: set[int] = set()  # trial ids
        self._last_finished = -1  # trial id

    @property
    def fast(self) -> bool:
        """True while trials are read by columns (an RDB storage this Optuna's models fit)."""
        return self._reader is not None

    def trials(self) -> list[FrozenTrial]:
        """Every trial as last read, by number."""
        return [self._trials[n] for n in sorted(self._trials)]

    def __len__(self) -> int:
        return len(self._trials)

    def outline(self) -> list[Outline] | None:
        """Number, state and distributions of every trial in the storage now, read quickly
        (before the trials themselves); None on the public path or any surprise."""
        if self._reader is None:
            return None
        try:
            return self._reader.outline(self._reader.trial_rows())
        except Exception as exc:  # any surprise: the caller reads the trials first
            _log.info("no outline of %s: %s", self._study.study_name, exc)
            return None

    def read(self, block: int = BLOCK, first: int = FIRST_BLOCK
             ) -> Iterator[list[FrozenTrial]]:
        """Read what can have changed since the last read (everything the first time) and
        yield the trials read by trial id, ``first`` then ``block`` at a time; the public
        path yields every trial not yet yielded in one list. Exceptions are the storage's
        (a database gone)."""
        yielded: set[int] = set()
        if self._reader is not None:
            try:
                rows = self._reader.trial_rows(self._last_finished, self._unfinished)
                for span in spans(len(rows), block, first):
                    trials = self._reader.trials(rows[span])
                    self._keep(trials)
                    yielded.update(t.number for t in trials)
                    yield trials
                return
            except Exception as exc:  # any surprise: Optuna's own read
                _log.info("reading %s through Optuna's get_trials: %s",
                          self._study.study_name, exc)
        trials = self._study.get_trials(deepcopy=False)
        self._trials.clear()
        self._unfinished.clear()
        self._last_finished = -1
        self._keep(trials)
        rest = [t for t in trials if t.number not in yielded]
        if rest or not yielded:
            yield rest

    def _keep(self, trials: list[FrozenTrial]) -> None:
        """Remember ``trials`` and which of them a later read must look at again."""
        for trial in trials:
            self._trials[trial.number] = trial
            if trial.state.is_finished():
                self._unfinished.discard(trial._trial_id)
                self._last_finished = max(self._last_finished, trial._trial_id)
            else:
                self._unfinished.add(trial._trial_id)


def spans(count: int, block: int = BLOCK, first: int = FIRST_BLOCK) -> Iterator[slice]:
    """``count`` items cut into slices: ``first`` items, then ``block`` at a time."""
    start, size = 0, max(1, min(first, block))
    while start < count:
        yield slice(start, start + size)
        start += size
        size = max(1, block)
