"""A study file of schema version 1 (before trainers of the user's own) opens, keeps its
trials and gains the columns for own metrics and logs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from desktop_app.core.study import EpochRow, SQLiteStorage, TrialState
from desktop_app.core.study.schema import APPLICATION_ID, SCHEMA_VERSION

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


def test_a_version_1_file_is_migrated_and_keeps_its_trials(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(V1)
    conn.close()
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
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 2
    conn.close()
