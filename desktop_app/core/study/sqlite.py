"""The study store on disk: one SQLite file (stdlib ``sqlite3``) with our own schema.

Durability: the file runs in WAL mode with ``synchronous=NORMAL`` and every verb commits before
it returns, except :meth:`SQLiteStorage.set_trial_running` and :meth:`SQLiteStorage.add_epoch`,
and the verbs inside a ``batch()``. A trial's start and its epoch rows wait in memory
(``sqlite_pending.py``) and are committed with the next other write (above all the trial's
``finish_trial``, in the same transaction) or :data:`EPOCH_FLUSH_SECONDS` after the first of
them, whichever comes first; every read commits them first, so this store's readers see them at
once. So ``kill -9`` loses no finished trial and at most the last 0.1 s of starts and epochs of
running trials (which are re-run on resume anyway). A committed transaction sits in the WAL
file (written, not yet fsynced), so killing the process loses nothing committed: the next open
replays the WAL. A power cut may lose the last few commits (never corrupt the file); that is
the trade we take for a commit costing tens of microseconds instead of an fsync.

Concurrency: one connection per store, shared by threads under a lock (the coordinator writes
from one thread, the window reads from another); the transactions, the writes that wait and
``batch()`` are in :mod:`desktop_app.core.study.sqlite_transactions`. Other connections and
processes may open the same file: in WAL mode readers never wait for the writer, and writers
wait up to :data:`~desktop_app.core.study.schema.BUSY_TIMEOUT_S` for each other. The schema and the
checks on opening a file are in :mod:`desktop_app.core.study.schema`.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from typing import Any

import numpy as np

from desktop_app.core.study import sqlite_rows as sql
from desktop_app.core.study.jsoncodec import dump_json, load_json
from desktop_app.core.study.ownership import Ownership, take_file_ownership
from desktop_app.core.study.records import (
    FINISHED_STATES,
    METRIC_NAMES,
    EpochRow,
    StudyRecord,
    TrialRecord,
    TrialState,
)
from desktop_app.core.study.rules import check_can_run, final_metrics, final_state, plain_epoch
from desktop_app.core.study.schema import storage_errors
from desktop_app.core.study.sqlite_transactions import SQLiteTransactions
from desktop_app.core.study.storage import EPOCH_COLUMNS, Storage, ordered_metric_names


class SQLiteStorage(SQLiteTransactions, Storage):
    """:class:`Storage` in the SQLite file at ``path`` (created with the schema if new).

    Raises :class:`StorageError` naming the file when it cannot be opened, is not a Caviar
    study file, or was written by a newer Caviar (a higher schema version), and whenever a read
    or write fails later (a full disk, a read-only or damaged file): one line, never
    ``sqlite3``'s own exceptions.
    """

    def _check_study(self, study_id: int) -> None:
        if self._conn.execute("SELECT 1 FROM studies WHERE id = ?", (study_id,)).fetchone() is None:
            raise KeyError(f"no study with id {study_id}")

    def _trial_state(self, study_id: int, number: int) -> tuple[TrialState, int]:
        row = self._conn.execute(
            "SELECT state, epochs FROM trials WHERE study_id = ? AND number = ?",
            (study_id, number),
        ).fetchone()
        if row is None:
            self._check_study(study_id)
            raise KeyError(f"study {study_id} has no trial {number}")
        return TrialState(row[0]), row[1]

    # --- studies ---------------------------------------------------------------------------
    def create_study(self, name: str, config: dict[str, Any]) -> StudyRecord:
        config_json, created = dump_json(config, "study config"), time.time()
        with self._lock, self._write() as conn:
            try:
                cursor = conn.execute(
                    "INSERT INTO studies (name, config, created) VALUES (?, ?, ?)",
                    (str(name), config_json, created),
                )
            except sqlite3.IntegrityError:
                msg = f"a study named {name!r} already exists; pick another name"
                raise ValueError(msg) from None
        return StudyRecord(cursor.lastrowid, str(name), load_json(config_json), created)

    def _studies(self, where: str = "", args: tuple[Any, ...] = ()) -> list[StudyRecord]:
        with self._reading() as conn:
            rows = conn.execute(
                f"SELECT id, name, config, created FROM studies {where} ORDER BY id", args
            ).fetchall()
            return [StudyRecord(i, name, load_json(cfg, f"the config of study {name!r}"), created)
                    for i, name, cfg, created in rows]

    def get_study(self, name: str) -> StudyRecord:
        found = self._studies("WHERE name = ?", (name,))
        if not found:
            raise KeyError(f"no study named {name!r}")
        return found[0]

    def list_studies(self) -> list[StudyRecord]:
        return self._studies()

    def delete_study(self, name: str) -> None:
        with self._lock, self._write() as conn:
            if conn.execute("DELETE FROM studies WHERE name = ?", (name,)).rowcount == 0:
                raise KeyError(f"no study named {name!r}")

    # --- trials ----------------------------------------------------------------------------
    def create_trial(
        self,
        study_id: int,
        params: dict[str, Any],
        seed: int,
        state: TrialState = TrialState.WAITING,
    ) -> TrialRecord:
        state = TrialState(state)
        params_json, now = dump_json(params, "trial params"), time.time()
        started = now if state is TrialState.RUNNING or state in FINISHED_STATES else None
        finished = now if state in FINISHED_STATES else None
        with self._lock, self._write() as conn:
            number = conn.execute(
                "SELECT coalesce(max(number) + 1, 0) FROM trials WHERE study_id = ?", (study_id,)
            ).fetchone()[0]
            try:
                conn.execute(
                    "INSERT INTO trials (study_id, number, state, params, seed, started, finished) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (study_id, number, state.value, params_json, int(seed), started, finished),
                )
            except sqlite3.IntegrityError:  # the foreign key: no such study
                self._check_study(study_id)
                raise
        return sql.trial_record((study_id, number, state.value, params_json, int(seed),
                                 *[None] * len(METRIC_NAMES), 0, started, finished, "", None, ""))

    def set_trial_running(self, study_id: int, number: int, started: float | None = None) -> None:
        """Checked at once, committed with the next write (see the module docstring)."""
        key = (study_id, int(number))
        with self._lock:
            state, epochs = TrialState.RUNNING, 0
            if not self._pending.is_started(key):
                with storage_errors(self.path):
                    state, epochs = self._trial_state(*key)
            check_can_run(study_id, number, state)
            self._pending.start(key, time.time() if started is None else float(started),
                                had_epochs=epochs > 0)
            self._commit_later()

    def add_epoch(self, study_id: int, row: EpochRow) -> None:
        """Keep the epoch to commit with the next write or within :data:`EPOCH_FLUSH_SECONDS`
        (see the module docstring); the rules are checked at once."""
        key = (study_id, int(row.number))
        with self._lock:
            last = self._pending.last_epoch(key)
            if last is None:
                with storage_errors(self.path):
                    last = self._trial_state(*key)[1]
            self._pending.add_epoch(key, plain_epoch(row, last))
            self._commit_later()

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
        with self._lock, self._write() as conn:
            updated = conn.execute(
                "UPDATE trials SET state = ?, error = ?, finished = ?, log = ? "
                "WHERE study_id = ? AND number = ?",
                (state.value, str(error), time.time(), str(log), study_id, number),
            ).rowcount
            if not updated:
                self._trial_state(study_id, number)  # raises the right KeyError
            if final:
                sql.set_final_metrics(conn, study_id, number, final)

    def get_trial(self, study_id: int, number: int) -> TrialRecord:
        found = self._trials(study_id, "AND number = ?", (number,))
        if not found:
            raise KeyError(f"study {study_id} has no trial {number}")
        return found[0]

    def get_trials(
        self, study_id: int, states: Iterable[TrialState] | None = None
    ) -> list[TrialRecord]:
        if states is None:
            return self._trials(study_id)
        values = sorted({TrialState(s).value for s in states})
        marks = ", ".join("?" * len(values))
        return self._trials(study_id, f"AND state IN ({marks})", tuple(values))

    def count_trials(self, study_id: int, states: Iterable[TrialState] | None = None) -> int:
        """One ``COUNT(*)`` query: no trial is read."""
        values = None if states is None else sorted({TrialState(s).value for s in states})
        where = "" if values is None else f"AND state IN ({', '.join('?' * len(values))})"
        with self._reading() as conn:
            (count,) = conn.execute(f"SELECT COUNT(*) FROM trials WHERE study_id = ? {where}",
                                    (study_id, *(values or ()))).fetchone()
            if not count:
                self._check_study(study_id)
        return int(count)

    def _trials(
        self, study_id: int, where: str = "", args: tuple[Any, ...] = ()
    ) -> list[TrialRecord]:
        """Trials of a study matching ``where`` in one query; ``KeyError`` for an unknown study."""
        with self._reading() as conn:
            rows = conn.execute(
                f"SELECT {sql.TRIAL_COLUMNS} FROM trials WHERE study_id = ? {where} "
                "ORDER BY number",
                (study_id, *args),
            ).fetchall()
            if not rows:
                self._check_study(study_id)
            return [sql.trial_record(row) for row in rows]

    def get_epochs(self, study_id: int, number: int | None = None) -> list[EpochRow]:
        """One query, joined to ``epoch_extra`` only when the study (the trial) has own
        metrics there: most have none, and then the join's lookup per epoch is saved."""
        where, args = ("", (study_id,))
        if number is not None:
            where, args = "AND number = ?", (study_id, number)
        with self._reading() as conn:
            (own,) = conn.execute("SELECT EXISTS (SELECT 1 FROM epoch_extra WHERE study_id = ? "
                                  f"{where})", args).fetchone()
            source = f"extra FROM {sql.WITH_EXTRA}" if own else "NULL FROM epochs"
            rows = conn.execute(
                f"SELECT {sql.EPOCH_NUMBERS}, {source} WHERE study_id = ? {where} "
                "ORDER BY number, epoch",
                args,
            ).fetchall()
            if not rows:
                if number is None:
                    self._check_study(study_id)
                else:
                    self._trial_state(study_id, number)
        return [sql.epoch_row(row) for row in rows]

    def get_trial_range(self, study_id: int, first: int, stop: int) -> list[TrialRecord]:
        return self._trials(study_id, "AND number >= ? AND number < ?", (first, stop))

    def get_epoch_array(self, study_id: int, first: int = 0, stop: int | None = None
                        ) -> np.ndarray:
        """One range query straight into a float array (NULL becomes NaN)."""
        return self._epoch_query(sql.EPOCH_NUMBERS, (), study_id, first, stop,
                                 width=len(EPOCH_COLUMNS))

    def get_metric_array(self, study_id: int, name: str, first: int = 0,
                         stop: int | None = None) -> np.ndarray:
        """One range query; a trainer's own metric is read with SQLite's ``json_extract``."""
        if name in EPOCH_COLUMNS[2:]:
            return self._epoch_query(f"number, epoch, {name}", (), study_id, first, stop)
        return self._epoch_query("number, epoch, json_extract(extra, ?)",
                                 (sql.json_path(name),), study_id, first, stop,
                                 source=sql.WITH_EXTRA)

    def _epoch_query(self, columns: str, args: tuple[Any, ...], study_id: int, first: int,
                     stop: int | None, width: int = 3, source: str = "epochs") -> np.ndarray:
        """``columns`` (``width`` of them) of the epochs of trials ``first <= number < stop``
        as a float array, read ``FROM source``."""
        last = -1 if stop is None else stop - 1  # -1: no upper bound
        with self._reading() as conn:
            rows = conn.execute(
                f"SELECT {columns} FROM {source} WHERE study_id = ? AND number >= ? "
                "AND (? < 0 OR number <= ?) ORDER BY number, epoch",
                (*args, study_id, first, last, last),
            ).fetchall()
            if not rows:
                self._check_study(study_id)
        return np.array(rows, dtype=float).reshape(len(rows), width)

    def metric_names(self, study_id: int) -> list[str]:
        """Two queries over the trials (their latest metrics), none over the epochs."""
        with self._reading() as conn:
            self._check_study(study_id)
            counts = conn.execute(f"SELECT {', '.join(f'count({m})' for m in METRIC_NAMES)} FROM "
                                  "trials WHERE study_id = ?", (study_id,)).fetchone()
            own = conn.execute("SELECT DISTINCT j.key FROM trials, json_each(trials.extra) AS j "
                               "WHERE trials.study_id = ? AND trials.extra IS NOT NULL",
                               (study_id,)).fetchall()
        return ordered_metric_names([m for m, n in zip(METRIC_NAMES, counts, strict=True) if n]
                                    + [key for (key,) in own])

    def interrupt_running(self, study_id: int) -> list[int]:
        with self._lock, self._write() as conn:
            self._check_study(study_id)
            numbers = [
                n
                for (n,) in conn.execute(
                    "SELECT number FROM trials WHERE study_id = ? AND state = ? ORDER BY number",
                    (study_id, TrialState.RUNNING.value),
                )
            ]
            conn.execute(
                "UPDATE trials SET state = ? WHERE study_id = ? AND state = ?",
                (TrialState.INTERRUPTED.value, study_id, TrialState.RUNNING.value),
            )
        return numbers

    # --- weights ---------------------------------------------------------------------------
    def put_weights(self, study_id: int, number: int, data: bytes) -> None:
        with self._lock, self._write() as conn:
            self._trial_state(study_id, number)
            conn.execute("INSERT OR REPLACE INTO weights VALUES (?, ?, ?)",
                         (study_id, number, sqlite3.Binary(data)))

    def get_weights(self, study_id: int, number: int) -> bytes | None:
        with self._reading() as conn:
            row = conn.execute("SELECT npz FROM weights WHERE study_id = ? AND number = ?",
                               (study_id, number)).fetchone()
        return None if row is None else bytes(row[0])

    def drop_weights(self, study_id: int, number: int) -> None:
        with self._lock, self._write() as conn:
            conn.execute("DELETE FROM weights WHERE study_id = ? AND number = ?",
                         (study_id, number))

    def weights_numbers(self, study_id: int) -> list[int]:
        with self._reading() as conn:
            return [n for (n,) in conn.execute(
                "SELECT number FROM weights WHERE study_id = ? ORDER BY number", (study_id,))]

    def own(self, name: str) -> Ownership:
        """An OS lock on ``<file>.<hash>.lock`` beside the file (see ``ownership.py``)."""
        return take_file_ownership(self.path, name)
