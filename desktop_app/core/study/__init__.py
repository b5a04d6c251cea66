"""Studies: trial records and the storage backends (in-memory and SQLite)."""

from __future__ import annotations

from pathlib import Path

from desktop_app.core.study.memory import InMemoryStorage
from desktop_app.core.study.ownership import Ownership, StudyBusyError
from desktop_app.core.study.records import (
    FINISHED_STATES,
    METRIC_NAMES,
    Direction,
    EpochRow,
    StudyRecord,
    TrialRecord,
    TrialState,
    best_trial,
    is_better,
)
from desktop_app.core.study.schema import StorageError
from desktop_app.core.study.sqlite import SQLiteStorage
from desktop_app.core.study.storage import Storage


def open_storage(path: str | Path | None) -> Storage:
    """A :class:`SQLiteStorage` on ``path``, or an :class:`InMemoryStorage` when it is None."""
    return InMemoryStorage() if path is None else SQLiteStorage(path)


__all__ = [
    "FINISHED_STATES",
    "METRIC_NAMES",
    "Direction",
    "EpochRow",
    "InMemoryStorage",
    "Ownership",
    "SQLiteStorage",
    "Storage",
    "StorageError",
    "StudyBusyError",
    "StudyRecord",
    "TrialRecord",
    "TrialState",
    "best_trial",
    "is_better",
    "open_storage",
]
