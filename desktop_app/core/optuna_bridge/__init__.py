"""Optuna studies both ways: open one read-only (to view, watch or import it into a Caviar
study) and write a Caviar study into an Optuna storage. Only Optuna's own storage classes
touch Optuna's files. The mapping decisions are in :mod:`.mapping` and docs/optuna.md."""

from __future__ import annotations

from desktop_app.core.optuna_bridge.exporting import export_study
from desktop_app.core.optuna_bridge.importing import (
    Imported,
    OptunaSource,
    open_source,
    read_study,
    store_study,
    study_names,
)
from desktop_app.core.optuna_bridge.locate import OptunaStorageError, kind_of
from desktop_app.core.optuna_bridge.reading import CaviarTrial, StudyPlan
from desktop_app.core.optuna_bridge.snapshot import STUDY_ID, Snapshot
from desktop_app.core.optuna_bridge.watching import Watcher, changes, view_space

__all__ = [
    "STUDY_ID",
    "CaviarTrial",
    "Imported",
    "OptunaSource",
    "OptunaStorageError",
    "Snapshot",
    "StudyPlan",
    "Watcher",
    "changes",
    "export_study",
    "kind_of",
    "open_source",
    "read_study",
    "store_study",
    "study_names",
    "view_space",
]
