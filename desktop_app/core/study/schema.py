"""The SQLite schema of a Caviar study file, and opening one safely.

A study file is marked with ``PRAGMA application_id`` (Caviar's) and ``PRAGMA user_version``
(the schema version), so a file of another program, or of a newer Caviar, is refused with an
error naming the file instead of being written into. NaN is stored as NULL in REAL columns
(SQLite turns a bound NaN into NULL); params and configs are JSON text, never pickles.

Tables: ``studies``; ``trials`` (one row per trial, its latest metrics, a trainer's own ones as
JSON in ``extra``); ``epochs`` (one row per trial per epoch, only the built-in numbers: the
bulk of a file, so every column counts, even a NULL one costs a byte per row);
``epoch_extra`` (a trainer's own metrics of an epoch as JSON, a row only for the epochs that
have some); ``weights`` (the ``.npz`` of the best trials). All but ``studies`` are keyed by
``(study_id, number[, epoch])`` and go when their trial or study is deleted.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from desktop_app.core.errors import CaviarError
from desktop_app.core.study.jsoncodec import DamagedRecord
from desktop_app.core.study.records import TrialState

#: ``PRAGMA application_id`` of a Caviar study file ("CAVI").
APPLICATION_ID = 0x43415649
#: ``PRAGMA user_version``: bump it (and add a migration) whenever the schema changes.
SCHEMA_VERSION = 3
#: Seconds a write waits for another connection's write to finish.
BUSY_TIMEOUT_S = 10.0

_TABLES = ("studies", "trials", "epochs", "epoch_extra", "weights")
_STATES_SQL = ", ".join(f"'{s.value}'" for s in TrialState)
_EPOCHS = """CREATE TABLE {name} (
    study_id INTEGER NOT NULL,
    number INTEGER NOT NULL,
    epoch INTEGER NOT NULL,
    train_loss REAL, train_accuracy REAL, val_loss REAL, val_accuracy REAL,
    learning_rate REAL,
    seconds REAL,
    PRIMARY KEY (study_id, number, epoch),
    FOREIGN KEY (study_id, number) REFERENCES trials(study_id, number) ON DELETE CASCADE
) WITHOUT ROWID"""
_EPOCH_EXTRA = """CREATE TABLE epoch_extra (
    study_id INTEGER NOT NULL,
    number INTEGER NOT NULL,
    epoch INTEGER NOT NULL,
    extra TEXT NOT NULL,
    PRIMARY KEY (study_id, number, epoch),
    FOREIGN KEY (study_id, number) REFERENCES trials(study_id, number) ON DELETE CASCADE
) WITHOUT ROWID"""
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
    extra TEXT,
    log TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (study_id, number)
) WITHOUT ROWID;
{_EPOCHS.format(name="epochs")};
{_EPOCH_EXTRA};
CREATE TABLE weights (
    study_id INTEGER NOT NULL,
    number INTEGER NOT NULL,
    npz BLOB NOT NULL,
    UNIQUE (study_id, number),
    FOREIGN KEY (study_id, number) REFERENCES trials(study_id, number) ON DELETE CASCADE
);
PRAGMA application_id = {APPLICATION_ID};
PRAGMA user_version = {SCHEMA_VERSION}
"""
# Version 1 -> 2: a trainer's own metrics (``extra``: JSON ``{name: number or null}``, NULL
# when there are none) on trials and epochs, a trial's program output (``log``), and the
# ``.npz`` weights of the best trials (``weights``).
_MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: ("ALTER TABLE trials ADD COLUMN extra TEXT",
        "ALTER TABLE trials ADD COLUMN log TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE epochs ADD COLUMN extra TEXT",
        "CREATE TABLE weights (study_id INTEGER NOT NULL, number INTEGER NOT NULL, "
        "npz BLOB NOT NULL, UNIQUE (study_id, number), FOREIGN KEY (study_id, number) "
        "REFERENCES trials(study_id, number) ON DELETE CASCADE)"),
}
#: ``ALTER TABLE ... DROP COLUMN`` came with SQLite 3.35.0 (3.35.5 fixed its last bugs); an
#: older SQLite rebuilds the table instead.
CAN_DROP_COLUMN = sqlite3.sqlite_version_info >= (3, 35, 5)


def to_version_3(drop_column: bool) -> tuple[str, ...]:
    """Version 2 -> 3: the own metrics of epochs move from ``epochs.extra`` (NULL in nearly
    every row, yet a byte of every row's header) into ``epoch_extra``, a row only per epoch
    that has some. ``drop_column``: drop the column in place, else copy ``epochs`` into a new
    table without it (what a SQLite without DROP COLUMN can do; same rows, same schema)."""
    moved = (_EPOCH_EXTRA, "INSERT INTO epoch_extra (study_id, number, epoch, extra) "
             "SELECT study_id, number, epoch, extra FROM epochs WHERE extra IS NOT NULL")
    if drop_column:
        return (*moved, "ALTER TABLE epochs DROP COLUMN extra")
    columns = ("study_id, number, epoch, train_loss, train_accuracy, val_loss, val_accuracy, "
               "learning_rate, seconds")
    return (*moved, _EPOCHS.format(name="epochs_v3"),
            f"INSERT INTO epochs_v3 ({columns}) SELECT {columns} FROM epochs",
            "DROP TABLE epochs", "ALTER TABLE epochs_v3 RENAME TO epochs")


_MIGRATIONS[2] = to_version_3(CAN_DROP_COLUMN)


def _migrate(conn: sqlite3.Connection) -> None:
    """Bring an older study file up to :data:`SCHEMA_VERSION` in one transaction: one open
    sees the old file or the new one, never half of it. 1 -> 2 only adds columns (instant);
    2 -> 3 rewrites the epochs table once (seconds for 100,000 trials x 50 epochs). Runs with
    foreign keys off (:func:`_prepare` turns them on afterwards), as a table rebuild needs."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        (version,) = conn.execute("PRAGMA user_version").fetchone()  # another may have done it
        while version < SCHEMA_VERSION:
            for statement in _MIGRATIONS[version]:
                conn.execute(statement)
            version += 1
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")


class StorageError(CaviarError):
    """A study file cannot be used; ``field`` names the file."""


def not_a_study(path: Path) -> str | None:
    """Why ``path`` is refused before it is opened as an existing study (None: try it). An
    empty file is not a study yet, and opening it would write Caviar's tables into a file
    Caviar did not create. Only a new study's file (``caviar sweep --storage``) may be one."""
    try:
        empty = path.is_file() and path.stat().st_size == 0
    except OSError:
        return None  # opening it says what is wrong
    return f"{path}: is empty, not a Caviar study file; pick one Caviar wrote" if empty else None


def connect(path: Path) -> sqlite3.Connection:
    """An autocommit connection to the study file at ``path``, creating the schema if new.

    The connection may be shared by threads (the caller guards it with a lock). It runs in WAL
    mode with ``synchronous=NORMAL`` and foreign keys on. Raises :class:`StorageError` naming
    the file when it cannot be opened, is not a Caviar study file, is damaged or is of a newer
    schema; a file this call created is removed again when it fails (no empty file is left).
    """
    created = not path.exists()
    try:
        with storage_errors(path):
            conn = sqlite3.connect(
                path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
            )
            try:
                _prepare(conn, path)
            except BaseException:
                conn.close()
                raise
    except BaseException:
        if created:
            _remove_empty(path)
        raise
    return conn


@contextmanager
def storage_errors(path: Path) -> Iterator[None]:
    """Turn SQLite's errors (and damaged JSON) into one :class:`StorageError` naming the file
    and saying what to do: a full disk, a read-only or damaged file are the user's to fix."""
    try:
        yield
    except DamagedRecord as exc:
        raise StorageError(str(path), f"is damaged: {exc}; restore it from a backup") from None
    except (sqlite3.ProgrammingError, sqlite3.IntegrityError):
        raise  # a bug in the caller (a closed store, a broken rule), not the user's to fix
    except sqlite3.Error as exc:
        raise StorageError(str(path), _problem(exc)) from exc


def _problem(exc: sqlite3.Error) -> str:
    """What a SQLite error means for the user, by its result code."""
    code = getattr(exc, "sqlite_errorname", "") or ""
    if code == "SQLITE_FULL":
        return ("the disk is full: free some space and try again (a sweep it stopped keeps "
                "its finished trials and resumes)")
    if code.startswith("SQLITE_READONLY"):
        return "is read-only: make the file and its folder writable, or work on a copy"
    if code == "SQLITE_NOTADB":
        return "is not a Caviar study file (not an SQLite database); pick one Caviar wrote"
    if code.startswith("SQLITE_CORRUPT"):
        return ("is damaged (SQLite: database disk image is malformed), perhaps cut short by a "
                "copy or a crash; restore it from a backup")
    if code.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return "is locked by another program; try again when it is done"
    if code.startswith("SQLITE_IOERR"):
        return f"cannot be read or written ({exc}); check the disk and try again"
    if code.startswith("SQLITE_CANTOPEN"):
        return f"cannot open the study file ({exc}); check its folder exists and is writable"
    return f"is damaged or not usable (SQLite: {exc}); restore it from a backup"


def _remove_empty(path: Path) -> None:
    """Delete the empty study file (and SQLite's side files) a failed first open left."""
    try:
        if path.stat().st_size:
            return
    except OSError:
        return
    for leftover in (path, *(path.with_name(path.name + s) for s in ("-journal", "-wal", "-shm"))):
        leftover.unlink(missing_ok=True)


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
    if version < SCHEMA_VERSION:
        _migrate(conn)
    tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
    missing = [t for t in _TABLES if t not in tables]
    if missing:
        raise StorageError(
            str(path), f"is damaged: its table {missing[0]!r} is missing; restore it from a backup"
        )
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
