"""Writes of :class:`SQLiteStorage` that wait for the next commit: trials starting, epochs.

Neither needs its own commit for crash safety: a trial whose start is lost is still waiting
(resume runs it), and a running trial's lost epochs are re-run with it. So both wait in memory
and go into the next transaction (a trial's ``finish_trial`` above all) or the timer's commit
``EPOCH_FLUSH_SECONDS`` later (``sqlite_transactions.py``), in the order they came: a start
before its trial's epochs. What is pending is also consulted by the checks (a trial
pending as started is running; its last epoch is the last pending one).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from desktop_app.core.study import sqlite_rows as sql
from desktop_app.core.study.records import EpochRow, TrialState

_START = (f"UPDATE trials SET state = ?, started = ?, finished = NULL, error = '', log = '', "
          f"epochs = 0, {sql.CLEAR_METRICS} WHERE study_id = ? AND number = ?")
_CLEAR_EPOCHS = ("DELETE FROM epochs WHERE study_id = ? AND number = ?",
                 "DELETE FROM epoch_extra WHERE study_id = ? AND number = ?")

Key = tuple[int, int]  # (study id, trial number)


class PendingWrites:
    """Trial starts and epoch rows not yet written; the caller holds the storage's lock."""

    def __init__(self) -> None:
        self._starts: dict[Key, tuple[float, bool]] = {}  # trial -> (start time, had epochs)
        self._epochs: list[tuple[Any, ...]] = []  # rows as sql.INSERT_EPOCH takes them
        self._extras: list[tuple[Any, ...]] = []  # their own metrics, sql.INSERT_EPOCH_EXTRA's
        self._latest: dict[Key, tuple[Any, ...]] = {}  # trial -> (its last row, own metrics)

    def __bool__(self) -> bool:
        return bool(self._starts or self._epochs)

    def start(self, key: Key, started: float, had_epochs: bool) -> None:
        """Trial ``key`` starts (again): its old epochs (if it ``had_epochs``) go, its state
        becomes running."""
        self._starts[key] = (started, had_epochs)

    def is_started(self, key: Key) -> bool:
        """True when ``key`` is pending as started (the file still says waiting/interrupted)."""
        return key in self._starts

    def last_epoch(self, key: Key) -> int | None:
        """The epoch of ``key``'s last pending row (0 just started); None: nothing pending."""
        if key in self._latest:
            return self._latest[key][0][2]  # epoch_params: (study, number, epoch, ...)
        return 0 if key in self._starts else None

    def add_epoch(self, key: Key, row: EpochRow) -> None:
        """An epoch row (already checked) for trial ``key``; its own metrics, if any, go
        into a row of their own (``epoch_extra``)."""
        params = sql.epoch_params(*key, row)
        extra = sql.extra_json(row.extra)
        self._epochs.append(params)
        if extra is not None:
            self._extras.append((*key, row.epoch, extra))
        self._latest[key] = (params, extra)

    def write(self, conn: sqlite3.Connection) -> None:
        """Execute everything pending inside the caller's transaction (starts first)."""
        if self._starts:
            reruns = [key for key, (_, had_epochs) in self._starts.items() if had_epochs]
            for statement in _CLEAR_EPOCHS if reruns else ():
                conn.executemany(statement, reruns)
            conn.executemany(_START, [(TrialState.RUNNING.value, started, *key)
                                      for key, (started, _) in self._starts.items()])
        if self._epochs:
            conn.executemany(sql.INSERT_EPOCH, self._epochs)
            if self._extras:
                conn.executemany(sql.INSERT_EPOCH_EXTRA, self._extras)
            conn.executemany(sql.LATEST_METRICS, [sql.latest_params(*latest)
                                                  for latest in self._latest.values()])

    def clear(self) -> None:
        """Forget what was written (after its commit)."""
        self._starts, self._epochs, self._extras, self._latest = {}, [], [], {}
