"""The SQLite schema of a Caviar study file, and opening one safely.

A study file is marked with ``PRAGMA application_id`` (Caviar's) and ``PRAGMA user_version``
(the schema version), so a file of another program, or of a newer Caviar, is refused with an
error naming the file instead of being written into. NaN is stored as NULL in REAL columns
(SQLite turns a bound NaN into NULL); params and configs are JSON text, never pickles.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from desktop_app.core.errors import CaviarError
from desktop_app.core.study.records import TrialState

#: ``PRAGMA application_id`` of a Caviar study file ("CAVI").
APPLICATION_ID = 0x43415649
#: ``PRAGMA user_version``: bump it (and add a migration) whenever the schema changes.
SCHEMA_VERSION = 1
#: Seconds a write waits for another connection's write to finish.
BUSY_TIMEOUT_S = 10.0

_STATES_SQL = ", ".join(f"'{s.value}'" for s in TrialState)
_SCHEMA = f"""
CREATE TABLE studies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    config TEXT NOT NULL,
    created REAL NOT NULL
);
CREATE TABLE trials (
    study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ({_STATES_SQL})),
    params TEXT NOT NULL,
    seed INTEGER NOT NULL,
    train_loss REAL, train_accuracy REAL, val_loss REAL, val_accuracy REAL,
    epochs INTEGER NOT NULL DEFAULT 0,
    started REAL,
    finished REAL,
    error TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (study_id, number)
) WITHOUT ROWID;
CREATE TABLE epochs (
    study_id INTEGER NOT NULL,
    number INTEGER NOT NULL,
    epoch INTEGER NOT NULL,
    train_loss REAL, train_accuracy REAL, val_loss REAL, val_accuracy REAL,
    learning_rate REAL,
    seconds REAL,
    PRIMARY KEY (study_id, number, epoch),
    FOREIGN KEY (study_id, number) REFERENCES trials(study_id, number) ON DELETE CASCADE
) WITHOUT ROWID;
PRAGMA application_id = {APPLICATION_ID};
PRAGMA user_version = {SCHEMA_VERSION}
"""


class StorageError(CaviarError):
    """A study file cannot be used; ``field`` names the file."""


def connect(path: Path) -> sqlite3.Connection:
    """An autocommit connection to the study file at ``path``, creating the schema if new.

    The connection may be shared by threads (the caller guards it with a lock). It runs in WAL
    mode with ``synchronous=NORMAL`` and foreign keys on. Raises :class:`StorageError` naming
    the file when it cannot be opened, is not a Caviar study file, or is of a newer schema.
    """
    try:
        conn = sqlite3.connect(
            path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
        )
    except sqlite3.Error as exc:
        raise StorageError(
            str(path),
            f"cannot open the study file ({exc}); check its folder exists and is writable",
        ) from exc
    try:
        _prepare(conn, path)
    except sqlite3.Error as exc:
        conn.close()
        if type(exc) is sqlite3.DatabaseError:  # "file is not a database"
            problem = "is not a Caviar study file (not an SQLite database); pick one Caviar wrote"
        else:
            problem = f"cannot open the study file ({exc}); check its folder exists and is writable"
        raise StorageError(str(path), problem) from exc
    except BaseException:
        conn.close()
        raise
    return conn


def _identity(conn: sqlite3.Connection) -> tuple[int, int]:
    (app_id,) = conn.execute("PRAGMA application_id").fetchone()
    (version,) = conn.execute("PRAGMA user_version").fetchone()
    return app_id, version


def _prepare(conn: sqlite3.Connection, path: Path) -> None:
    """Check the file is ours (creating the schema in an empty one), then set the pragmas."""
    if _identity(conn) == (0, 0):
        conn.execute("BEGIN IMMEDIATE")  # re-check under the write lock: another may race us
        try:
            if (
                _identity(conn) == (0, 0)
                and not conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            ):
                for statement in _SCHEMA.split(";"):
                    conn.execute(statement)
            conn.execute("COMMIT")
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
    app_id, version = _identity(conn)
    if app_id != APPLICATION_ID:
        raise StorageError(
            str(path),
            "is not a Caviar study file (another program's database); pick one "
            "Caviar wrote, or a new file name",
        )
    if version > SCHEMA_VERSION:
        raise StorageError(
            str(path),
            f"was written by a newer Caviar (schema version {version}, this one reads up to "
            f"{SCHEMA_VERSION}); upgrade Caviar to open it",
        )
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
