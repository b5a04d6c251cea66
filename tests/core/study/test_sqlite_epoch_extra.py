"""SQLiteStorage keeps a trainer's own metrics of epochs in ``epoch_extra``, a row only per
epoch that has some: plain epochs cost the side table nothing, a re-run and a deleted study
take their rows with them, and the bulk epoch read never looks at it."""

from __future__ import annotations

import math
import sqlite3
from pathlib import Path

from desktop_app.core.study import EpochRow, SQLiteStorage, TrialState


def _rows(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _run(storage: SQLiteStorage, sid: int, number: int, *extras: dict[str, float],
         state: TrialState = TrialState.COMPLETE) -> None:
    """Trial ``number`` runs one epoch per item of ``extras`` (its own metrics) and ends
    ``state``."""
    storage.set_trial_running(sid, number)
    for epoch, extra in enumerate(extras, start=1):
        storage.add_epoch(sid, EpochRow(number, epoch, 1.0, 0.5, 2.0, 0.25, 0.1, 0.5,
                                        extra=extra))
    storage.finish_trial(sid, number, state)


def test_epochs_without_own_metrics_leave_the_side_table_empty(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with SQLiteStorage(path) as storage:
        sid = storage.create_study("s", {}).study_id
        storage.create_trial(sid, {}, seed=1)
        _run(storage, sid, 0, {}, {})
        assert [row.extra for row in storage.get_epochs(sid)] == [{}, {}]
        assert _rows(path, "SELECT count(*) FROM epochs") == [(2,)]
        assert _rows(path, "SELECT count(*) FROM epoch_extra") == [(0,)]
        assert "extra" not in [c[1] for c in _rows(path, "PRAGMA table_info(epochs)")]


def test_only_epochs_with_own_metrics_get_a_row(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with SQLiteStorage(path) as storage:
        sid = storage.create_study("s", {}).study_id
        storage.create_trial(sid, {}, seed=1)
        _run(storage, sid, 0, {}, {"f1": 0.5}, {}, {"f1": math.inf})
        assert [row.extra for row in storage.get_epochs(sid)][:3] == [{}, {"f1": 0.5}, {}]
        assert math.isnan(storage.get_epochs(sid, 0)[3].extra["f1"])
        assert math.isnan(storage.get_trial(sid, 0).metrics["f1"])  # the last epoch's
        assert _rows(path, "SELECT number, epoch, extra FROM epoch_extra") == [
            (0, 2, '{"f1":0.5}'), (0, 4, '{"f1":null}')]


def test_a_rerun_and_a_deleted_study_take_their_rows(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with SQLiteStorage(path) as storage:
        sid = storage.create_study("s", {}).study_id
        for number in range(2):
            storage.create_trial(sid, {}, seed=number)
            _run(storage, sid, number, {"f1": 0.5}, {"f1": 0.75}, state=TrialState.INTERRUPTED)
        storage.set_trial_running(sid, 1)  # a re-run: its old epochs go, own metrics too
        storage.add_epoch(sid, EpochRow(1, 1, 1.0, 0.5, 2.0, 0.25, 0.1, 0.5))
        storage.finish_trial(sid, 1, TrialState.COMPLETE)
        assert [row.extra for row in storage.get_epochs(sid, 1)] == [{}]
        assert _rows(path, "SELECT number, epoch FROM epoch_extra") == [(0, 1), (0, 2)]
        storage.delete_study("s")
    assert _rows(path, "SELECT count(*) FROM epoch_extra") == [(0,)]


def test_the_epoch_array_never_reads_the_side_table(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with SQLiteStorage(path) as storage:
        sid = storage.create_study("s", {}).study_id
        storage.create_trial(sid, {}, seed=1)
        _run(storage, sid, 0, {"f1": 0.5})
        storage.get_trials(sid)  # nothing pending any more
        statements: list[str] = []
        storage._conn.set_trace_callback(statements.append)
        values = storage.get_epoch_array(sid)
        storage._conn.set_trace_callback(None)
        assert values.shape == (1, 8)
        assert statements and not [s for s in statements if "epoch_extra" in s]
