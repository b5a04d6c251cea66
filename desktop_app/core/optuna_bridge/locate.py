"""Where an Optuna study lives, and opening that storage read-only (to view or import) or for
writing (to export into), through Optuna's own storage classes.

A STORAGE is an Optuna storage URL (``sqlite:///optuna.db``, ``postgresql://...``), or a path
to an Optuna RDB file (SQLite) or to a journal file (``JournalFileBackend``'s JSON lines). A
path is recognised by its contents, never by its name alone: a file that is neither an Optuna
storage nor a Caviar study file is refused with one line naming it.

Read-only means read-only: an SQLite file is opened with ``mode=ro`` (SQLite refuses every
write, also Optuna's own table creation, which ``skip_table_creation`` turns off anyway), and
a journal file through a backend whose ``append_logs`` refuses to write.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import optuna
from optuna.storages import BaseStorage, JournalStorage, RDBStorage
from optuna.storages.journal import JournalFileBackend

from desktop_app.core.errors import CaviarError
from desktop_app.core.study.schema import APPLICATION_ID

_SQLITE_HEADER = b"SQLite format 3\x00"
_OPTUNA_TABLES = {"studies", "trials", "version_info", "alembic_version"}


class OptunaStorageError(CaviarError):
    """An Optuna storage cannot be used; ``field`` names the file or URL."""


class _ReadOnlyJournal(JournalFileBackend):
    """A journal file backend that reads and never writes (a viewer must not append)."""

    def append_logs(self, logs: list[dict[str, Any]]) -> None:
        """Refuse: this storage was opened to read."""
        raise PermissionError(f"{self._file_path}: opened read-only")


def kind_of(path: Path) -> str:
    """What the file at ``path`` is: ``"caviar"``, ``"optuna-rdb"``, ``"optuna-journal"`` or
    ``""`` (none of these, or unreadable). Reads a few bytes; never writes."""
    try:
        with path.open("rb") as f:
            head = f.read(4096)
    except OSError:
        return ""
    if head.startswith(_SQLITE_HEADER):
        return _sqlite_kind(path)
    first = head.split(b"\n", 1)[0]
    try:
        log = json.loads(first)
    except ValueError:
        return ""
    return "optuna-journal" if isinstance(log, dict) and "op_code" in log else ""


def _sqlite_kind(path: Path) -> str:
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            (app_id,) = conn.execute("PRAGMA application_id").fetchone()
            tables = {n for (n,) in conn.execute("SELECT name FROM sqlite_master")}
        finally:
            conn.close()
    except sqlite3.Error:
        return ""
    if app_id == APPLICATION_ID:
        return "caviar"
    return "optuna-rdb" if tables >= _OPTUNA_TABLES else ""


def is_url(spec: str) -> bool:
    """True for a storage URL (``sqlite:///x.db``), False for a file path."""
    return "://" in spec


def _sqlite_path(url: str) -> Path | None:
    """The file of an ``sqlite:///`` URL (None for another database or an in-memory one)."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or url == prefix:
        return None
    return Path(url[len(prefix):].split("?", 1)[0])


def open_read_only(spec: str) -> BaseStorage:
    """The Optuna storage ``spec`` opened to read; :class:`OptunaStorageError` naming it when
    it is missing, not an Optuna storage, or of a schema this Optuna cannot read."""
    path = None if is_url(spec) else Path(spec)
    if path is None:
        path = _sqlite_path(spec)
        if path is None:  # a database server: Caviar only reads, Optuna creates nothing
            return _rdb(spec, spec)
    if not path.is_file():
        raise OptunaStorageError(str(path), "no such file")
    kind = kind_of(path)
    if kind == "optuna-journal":
        return JournalStorage(_ReadOnlyJournal(str(path)))
    if kind == "optuna-rdb":
        # SQLite's URI form: mode=ro refuses every write, whoever tries
        return _rdb(f"sqlite:///{path.resolve().as_uri()}?mode=ro&uri=true", str(path))
    if kind == "caviar":
        raise OptunaStorageError(str(path), "is a Caviar study file, not an Optuna storage; "
                                            "open it with File › Open or 'caviar gui'")
    raise OptunaStorageError(str(path), "is neither an Optuna storage (an RDB .db or a journal "
                                        "file) nor a Caviar study file")


def _rdb(url: str, name: str) -> RDBStorage:
    """An :class:`RDBStorage` that creates no table; a schema error becomes one line."""
    try:
        return RDBStorage(url, skip_table_creation=True)
    except RuntimeError as exc:  # Optuna's schema check: written by another Optuna version
        raise OptunaStorageError(name, schema_problem(str(exc))) from None
    except Exception as exc:  # SQLAlchemy's errors: a server down, a bad URL, a bad file
        raise OptunaStorageError(name, f"cannot be opened as an Optuna storage ({_first(exc)})"
                                 ) from None


def schema_problem(message: str) -> str:
    """Optuna's schema-version error as what to do, saying Caviar will not upgrade it."""
    newer = "updating optuna" in message
    return (f"is an Optuna storage of {'a newer' if newer else 'an older'} schema than "
            f"Optuna {optuna.__version__} reads; "
            + ("upgrade optuna ('pip install -U optuna')" if newer else
               "upgrade a copy with 'optuna storage upgrade'")
            + " (Caviar never changes a storage it only reads)")


def _first(exc: BaseException) -> str:
    """The first line of an exception's text."""
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def open_for_writing(spec: str) -> tuple[BaseStorage, Path | None]:
    """The Optuna storage ``spec`` opened to write (created if new) and the file it created
    (None when it existed or is a server), so a failed export can remove it. A path ending
    in ``.db``, ``.sqlite`` or ``.sqlite3`` is an RDB file, any other path a journal file."""
    path = _sqlite_path(spec) if is_url(spec) else Path(spec)
    created = None
    if path is not None:
        if path.is_dir():
            raise OptunaStorageError(str(path), "is a folder; give a file name")
        if not path.parent.is_dir():
            raise OptunaStorageError(str(path), f"no such folder: {path.parent}")
        if path.exists():
            kind = kind_of(path)
            if kind == "caviar" or (kind == "" and path.stat().st_size):
                raise OptunaStorageError(str(path), "exists and is not an Optuna storage; "
                                                    "choose a new file name")
        else:
            created = path
    if path is not None and not is_url(spec) and path.suffix.lower() not in (
            ".db", ".sqlite", ".sqlite3"):
        return JournalStorage(JournalFileBackend(str(path))), created
    url = spec if is_url(spec) else f"sqlite:///{path.resolve()}"
    try:
        return RDBStorage(url), created
    except RuntimeError as exc:
        raise OptunaStorageError(spec, schema_problem(str(exc))) from None
    except Exception as exc:
        if created is not None:
            created.unlink(missing_ok=True)
        raise OptunaStorageError(spec, f"cannot be written as an Optuna storage "
                                       f"({_first(exc)})") from None
