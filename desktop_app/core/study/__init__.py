"""Studies: trial records and the storage backends (in-memory and SQLite)."""

from desktop_app.core.study.records import (
    FINISHED_STATES,
    METRIC_NAMES,
    EpochRow,
    StudyRecord,
    TrialRecord,
    TrialState,
)
from desktop_app.core.study.storage import Storage

__all__ = [
    "FINISHED_STATES",
    "METRIC_NAMES",
    "EpochRow",
    "Storage",
    "StudyRecord",
    "TrialRecord",
    "TrialState",
]
