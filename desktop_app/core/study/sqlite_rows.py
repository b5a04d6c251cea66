"""The SQL of :mod:`~desktop_app.core.study.sqlite` and its rows <-> records conversions.

The four :data:`METRIC_NAMES` are REAL columns (compact, read in bulk into arrays); a
trainer's own metrics are one JSON object (``{name: number or null}``, null for NaN/inf so
SQLite's ``json_extract`` can read it): in ``trials.extra`` (NULL when there are none) and, per
epoch, in a row of ``epoch_extra`` written only for an epoch that has some (``epochs`` holds
the built-in numbers alone: a NULL column would still cost every epoch row a byte).
"""

from __future__ import annotations

import json
import math
import sqlite3
from typing import Any

from desktop_app.core.study.jsoncodec import load_json
from desktop_app.core.study.records import METRIC_NAMES, EpochRow, TrialRecord, TrialState

METRICS_SQL = ", ".join(METRIC_NAMES)
TRIAL_COLUMNS = (f"study_id, number, state, params, seed, {METRICS_SQL}, epochs, started, "
                 "finished, error, extra, log")
EPOCH_NUMBERS = f"number, epoch, {METRICS_SQL}, learning_rate, seconds"
"""The numeric epoch columns, in the order of ``storage.EPOCH_COLUMNS``."""
INSERT_EPOCH = (f"INSERT INTO epochs (study_id, {EPOCH_NUMBERS}) "
                f"VALUES ({', '.join('?' * (len(METRIC_NAMES) + 5))})")
INSERT_EPOCH_EXTRA = "INSERT INTO epoch_extra (study_id, number, epoch, extra) VALUES (?, ?, ?, ?)"
WITH_EXTRA = "epochs LEFT JOIN epoch_extra USING (study_id, number, epoch)"
"""The epochs with their own metrics (``extra``, NULL for an epoch without): a ``FROM``."""
_SET_METRICS = f"UPDATE trials SET {', '.join(f'{m} = ?' for m in METRIC_NAMES)}, extra = ?"
LATEST_METRICS = f"{_SET_METRICS}, epochs = ? WHERE study_id = ? AND number = ?"
FINAL_METRICS = f"{_SET_METRICS} WHERE study_id = ? AND number = ?"
CLEAR_METRICS = ", ".join(f"{m} = NULL" for m in (*METRIC_NAMES, "extra"))


def as_float(value: float | None) -> float:
    """A REAL column (or JSON number) back as a float: NULL is how NaN is stored."""
    return math.nan if value is None else value


def extra_json(extra: dict[str, float]) -> str | None:
    """A trainer's own metrics as stored: NULL when none, non-finite values as null."""
    if not extra:
        return None
    return json.dumps({k: (v if math.isfinite(v) else None) for k, v in extra.items()},
                      separators=(",", ":"))


def load_extra(text: str | None, what: str) -> dict[str, float]:
    """The metrics :func:`extra_json` stored (empty for NULL)."""
    if text is None:
        return {}
    return {str(k): as_float(v) for k, v in load_json(text, what).items()}


def json_path(name: str) -> str:
    """The ``json_extract`` path of metric ``name`` in an ``extra`` object."""
    return '$."' + name.replace('"', "") + '"'


def epoch_params(study_id: int, number: int, row: EpochRow) -> tuple[Any, ...]:
    """The values :data:`INSERT_EPOCH` takes for ``row``."""
    return (study_id, number, row.epoch, row.train_loss, row.train_accuracy, row.val_loss,
            row.val_accuracy, row.learning_rate, row.seconds)


def latest_params(epoch: tuple[Any, ...], extra: str | None) -> tuple[Any, ...]:
    """The :data:`LATEST_METRICS` values making ``epoch`` (:func:`epoch_params`, with its own
    metrics ``extra`` as stored) its trial's latest."""
    return (*epoch[3:3 + len(METRIC_NAMES)], extra, epoch[2], epoch[0], epoch[1])


def trial_record(row: tuple[Any, ...]) -> TrialRecord:
    """A ``SELECT TRIAL_COLUMNS`` row as a record."""
    study_id, number, state, params, seed, *metrics, epochs, started, finished, error, extra, \
        log = row
    values = {name: as_float(v) for name, v in zip(METRIC_NAMES, metrics, strict=True)}
    values.update(load_extra(extra, f"the metrics of trial {number}"))
    return TrialRecord(
        study_id=study_id,
        number=number,
        state=TrialState(state),
        params=load_json(params, f"the params of trial {number}"),
        seed=seed,
        metrics=values,
        epochs=epochs,
        started=started,
        finished=finished,
        error=error,
        log=log,
    )


def epoch_row(row: tuple[Any, ...]) -> EpochRow:
    """A ``SELECT {EPOCH_NUMBERS}, extra`` row (``extra`` NULL: no own metrics) as a record."""
    number, epoch, *values, extra = row
    return EpochRow(number, epoch, *(as_float(v) for v in values),
                    extra=load_extra(extra, f"the metrics of trial {number}, epoch {epoch}"))


def set_final_metrics(conn: sqlite3.Connection, study_id: int, number: int,
                      final: dict[str, float]) -> None:
    """Update a trial's latest metrics with the final ones its trainer returned."""
    row = conn.execute(f"SELECT {METRICS_SQL}, extra FROM trials WHERE study_id = ? "
                       "AND number = ?", (study_id, number)).fetchone()
    columns = dict(zip(METRIC_NAMES, row, strict=False))
    extra = load_extra(row[-1], f"the metrics of trial {number}")
    for name, value in final.items():
        if name in columns:
            columns[name] = value
        else:
            extra[name] = value
    conn.execute(FINAL_METRICS,
                 (*columns.values(), extra_json(extra), study_id, number))
