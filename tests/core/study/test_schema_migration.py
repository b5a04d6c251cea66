"""Older study files open as the current schema with every value intact: version 1 (before
trainers of the user's own) and version 2 (own metrics of epochs in ``epochs.extra``, before
they moved to ``epoch_extra``), the latter both by DROP COLUMN and by rebuilding the table."""

from __future__ import annotations

import math
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from desktop_app.core.study import EpochRow, SQLiteStorage, TrialState, schema
from desktop_app.core.study.schema import APPLICATION_ID, SCHEMA_VERSION

NAN = math.nan
V1 = f"""
CREATE TABLE studies (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE,
    config TEXT NOT NULL, created REAL NOT NULL);
CREATE TABLE trials (study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
    number INTEGER NOT NULL, state TEXT NOT NULL, params TEXT NOT NULL, seed INTEGER NOT NULL,
    train_loss REAL, train_accuracy REAL, val_loss REAL, val_accuracy REAL,
    epochs INTEGER NOT NULL DEFAULT 0, started REAL, finished REAL,
    error TEXT NOT NULL DEFAULT '', PRIMARY KEY (study_id, number)) WITHOUT ROWID;
CREATE TABLE epochs (study_id INTEGER NOT NULL, number INTEGER NOT NULL,
    epoch INTEGER NOT NULL, train_loss REAL, train_accuracy REAL, val_loss REAL,
    val_accuracy REAL, learning_rate REAL, seconds REAL,
    PRIMARY KEY (study_id, number, epoch)) WITHOUT ROWID;
INSERT INTO studies VALUES (1, 'old', '{{"study": {{"trials": 2}}}}', 1.0);
INSERT INTO trials VALUES (1, 0, 'complete', '{{"learning_rate": 0.1}}', 5, 0.5, 0.75, 0.6,
    0.7, 1, 1.0, 2.0, '');
INSERT INTO epochs VALUES (1, 0, 1, 0.5, 0.75, 0.6, 0.7, 0.1, 0.25);
PRAGMA application_id = {APPLICATION_ID};
PRAGMA user_version = 1;
"""
# The schema of version 2 as Caviar wrote it (schema.py before version 3).
V2 = f"""
CREATE TABLE studies (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE,
    config TEXT NOT NULL, created REAL NOT NULL);
CREATE TABLE trials (study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
    number INTEGER NOT NULL, state TEXT NOT NULL, params TEXT NOT NULL, seed INTEGER NOT NULL,
    train_loss REAL, train_accuracy REAL, val_loss REAL, val_accuracy REAL,
    epochs INTEGER NOT NULL DEFAULT 0, started REAL, finished REAL,
    error TEXT NOT NULL DEFAULT '', extra TEXT, log TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (study_id, number)) WITHOUT ROWID;
CREATE TABLE epochs (study_id INTEGER NOT NULL, number INTEGER NOT NULL,
    epoch INTEGER NOT NULL, train_loss REAL, train_accuracy REAL, val_loss REAL,
    val_accuracy REAL, learning_rate REAL, seconds REAL, extra TEXT,
    PRIMARY KEY (study_id, number, epoch),
    FOREIGN KEY (study_id, number) REFERENCES trials(study_id, number) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE TABLE weights (study_id INTEGER NOT NULL, number INTEGER NOT NULL, npz BLOB NOT NULL,
    UNIQUE (study_id, number), FOREIGN KEY (study_id, number)
    REFERENCES trials(study_id, number) ON DELETE CASCADE);
INSERT INTO studies VALUES (1, 'v2', '{{"study": {{"trials": 3}}}}', 1.0);
INSERT INTO trials VALUES (1, 0, 'complete', '{{"lr": 0.1}}', 5, 0.5, 0.75, 0.6, 0.7, 2,
    1.0, 2.0, '', NULL, '');
INSERT INTO trials VALUES (1, 1, 'diverged', '{{"lr": 0.2}}', 6, NULL, NULL, NULL, NULL, 2,
    3.0, 4.0, 'nan', '{{"f1":0.75,"auc":null}}', 'line 1');
INSERT INTO trials VALUES (1, 2, 'waiting', '{{"lr": 0.3}}', 7, NULL, NULL, NULL, NULL, 0,
    NULL, NULL, '', NULL, '');
INSERT INTO epochs VALUES (1, 0, 1, 0.5, 0.75, 0.6, NULL, 0.1, 0.25, NULL);
INSERT INTO epochs VALUES (1, 0, 2, 0.4, 0.8, 0.5, 0.7, 0.1, 0.5, NULL);
INSERT INTO epochs VALUES (1, 1, 1, NULL, NULL, NULL, NULL, 0.5, 0.125, '{{"f1":0.5,"auc":0.25}}');
INSERT INTO epochs VALUES (1, 1, 2, NULL, NULL, NULL, NULL, 0.5, 0.25, '{{"f1":0.75,"auc":null}}');
INSERT INTO weights VALUES (1, 0, x'0102');
PRAGMA application_id = {APPLICATION_ID};
PRAGMA user_version = 2;
"""
V2_EPOCHS = [
    EpochRow(0, 1, 0.5, 0.75, 0.6, NAN, 0.1, 0.25),
    EpochRow(0, 2, 0.4, 0.8, 0.5, 0.7, 0.1, 0.5),
    EpochRow(1, 1, NAN, NAN, NAN, NAN, 0.5, 0.125, extra={"f1": 0.5, "auc": 0.25}),
    EpochRow(1, 2, NAN, NAN, NAN, NAN, 0.5, 0.25, extra={"f1": 0.75, "auc": NAN}),
]


def _write(path: Path, script: str) -> None:
    with sqlite3.connect(path) as conn:
        conn.executescript(script)
    conn.close()


def _query(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _same(rows: list[EpochRow], expected: list[EpochRow]) -> None:
    """Equal rows, NaN equal to NaN (a dataclass compares NaN as unequal)."""
    assert len(rows) == len(expected)
    for row, want in zip(rows, expected, strict=True):
        assert repr(row) == repr(want)


def test_a_version_1_file_is_migrated_and_keeps_its_trials(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _write(path, V1)
    with SQLiteStorage(path) as storage:
        study = storage.get_study("old")
        (trial,) = storage.get_trials(study.study_id)
        assert (trial.state, trial.params, trial.metrics["val_accuracy"], trial.log) == (
            TrialState.COMPLETE, {"learning_rate": 0.1}, 0.7, "")
        assert storage.get_epochs(study.study_id)[0] == EpochRow(0, 1, 0.5, 0.75, 0.6, 0.7,
                                                                 0.1, 0.25)
        storage.create_trial(study.study_id, {}, seed=1)
        storage.set_trial_running(study.study_id, 1)
        storage.add_epoch(study.study_id, EpochRow(1, 1, 1, 1, 1, 1, 1, 1, extra={"f1": 0.5}))
        storage.finish_trial(study.study_id, 1, TrialState.COMPLETE, log="done")
        assert storage.get_trial(study.study_id, 1).metrics["f1"] == 0.5
        assert storage.get_epochs(study.study_id, 1)[0].extra == {"f1": 0.5}
    assert _query(path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert SCHEMA_VERSION == 3
    assert _query(path, "SELECT number, epoch, extra FROM epoch_extra") == [(1, 1, '{"f1":0.5}')]


@pytest.mark.parametrize("drop_column", [True, False], ids=["drop_column", "rebuild"])
def test_a_version_2_file_opens_as_version_3_with_every_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, drop_column: bool
) -> None:
    monkeypatch.setitem(schema._MIGRATIONS, 2, schema.to_version_3(drop_column))
    path = tmp_path / "v2.db"
    _write(path, V2)
    with SQLiteStorage(path) as storage:
        sid = storage.get_study("v2").study_id
        _same(storage.get_epochs(sid), V2_EPOCHS)
        _same(storage.get_epochs(sid, 1), V2_EPOCHS[2:])
        trials = storage.get_trials(sid)
        assert [(t.state, t.params, t.seed, t.epochs, t.log) for t in trials] == [
            (TrialState.COMPLETE, {"lr": 0.1}, 5, 2, ""),
            (TrialState.DIVERGED, {"lr": 0.2}, 6, 2, "line 1"),
            (TrialState.WAITING, {"lr": 0.3}, 7, 0, "")]
        assert trials[0].metrics["val_accuracy"] == 0.7 and trials[1].metrics["f1"] == 0.75
        assert math.isnan(trials[1].metrics["auc"]) and trials[1].error == "nan"
        assert storage.get_weights(sid, 0) == b"\x01\x02"
        assert storage.metric_names(sid)[-2:] == ["auc", "f1"]
        np.testing.assert_array_equal(storage.get_metric_array(sid, "f1"),
                                      [[0, 1, NAN], [0, 2, NAN], [1, 1, 0.5], [1, 2, 0.75]])
        np.testing.assert_array_equal(storage.get_epoch_array(sid)[:, :4],
                                      [[0, 1, 0.5, 0.75], [0, 2, 0.4, 0.8],
                                       [1, 1, NAN, NAN], [1, 2, NAN, NAN]])
        storage.set_trial_running(sid, 2)  # the migrated file takes new epochs
        storage.add_epoch(sid, EpochRow(2, 1, 1, 1, 1, 1, 1, 1, extra={"f1": 0.125}))
        storage.finish_trial(sid, 2, TrialState.COMPLETE)
        assert storage.get_epochs(sid, 2)[0].extra == {"f1": 0.125}
    assert _query(path, "PRAGMA user_version") == [(3,)]
    assert "extra" not in [c[1] for c in _query(path, "PRAGMA table_info(epochs)")]
    assert _query(path, "SELECT number, epoch FROM epoch_extra") == [(1, 1), (1, 2), (2, 1)]
    assert _query(path, "PRAGMA integrity_check") == [("ok",)]
    assert _query(path, "PRAGMA foreign_key_check") == []
    with SQLiteStorage(path) as storage:
        storage.delete_study("v2")  # the moved rows go with their study
    assert _query(path, "SELECT count(*) FROM epoch_extra") == [(0,)]
    assert _query(path, "SELECT count(*) FROM epochs") == [(0,)]


def test_a_failed_migration_leaves_the_version_2_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = (*schema.to_version_3(schema.CAN_DROP_COLUMN), "SELECT no_such_function()")
    monkeypatch.setitem(schema._MIGRATIONS, 2, broken)
    path = tmp_path / "v2.db"
    _write(path, V2)
    with pytest.raises(schema.StorageError):
        SQLiteStorage(path)
    assert _query(path, "PRAGMA user_version") == [(2,)]
    assert _query(path, "SELECT count(*) FROM epochs WHERE extra IS NOT NULL") == [(2,)]
    assert not _query(path, "SELECT name FROM sqlite_master WHERE name = 'epoch_extra'")
