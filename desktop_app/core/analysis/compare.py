"""Studies side by side: each study's trial values as one series (e.g. grid vs random vs TPE
on the same problem), read from any study file."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from desktop_app.core.study import Direction, Storage, TrialState


@dataclass(frozen=True)
class StudySeries:
    """``values[i]``: the metric of trial ``numbers[i]``, NaN when it does not count (not
    complete, or no finite value)."""

    label: str
    metric: str
    direction: Direction
    numbers: np.ndarray
    values: np.ndarray


def read_series(storage: Storage, name: str, label: str = "") -> StudySeries:
    """The series of study ``name`` (``KeyError`` if there is none); its metric and direction
    are the study's own (a study of an unknown direction counts as maximize)."""
    record = storage.get_study(name)
    settings = record.config.get("study", {}) if isinstance(record.config, dict) else {}
    metric = str(settings.get("metric", "val_accuracy"))
    try:
        direction = Direction(settings.get("direction", "maximize"))
    except ValueError:
        direction = Direction.MAXIMIZE
    trials = storage.get_trials(record.study_id)
    values = np.array([t.metrics.get(metric, math.nan) if t.state is TrialState.COMPLETE
                       else math.nan for t in trials], dtype=float)
    values[~np.isfinite(values)] = np.nan
    numbers = np.array([t.number for t in trials], dtype=np.int64)
    return StudySeries(label or name, metric, direction, numbers, values)
