"""Export a study's trials as CSV or JSON: one row per trial.

Columns (a contract): ``number, state``, one per searched parameter named as in the config,
then ``train_loss, train_accuracy, val_loss, val_accuracy, epochs, seconds``.
"""

from __future__ import annotations

import csv
import json
import math
from typing import Any, TextIO

from desktop_app.core.study import METRIC_NAMES, Storage

TAIL_COLUMNS = (*METRIC_NAMES, "epochs", "seconds")


def export_table(storage: Storage, study_name: str) -> tuple[list[str], list[dict[str, Any]]]:
    """Columns and rows (plain values) for every trial of a study, ordered by number."""
    study = storage.get_study(study_name)
    param_names = list(study.config.get("params", {}))
    columns = ["number", "state", *param_names, *TAIL_COLUMNS]
    rows = []
    for trial in storage.get_trials(study.study_id):
        row: dict[str, Any] = {"number": trial.number, "state": str(trial.state)}
        for name in param_names:
            row[name] = trial.params.get(name)
        for name in METRIC_NAMES:
            row[name] = trial.metrics.get(name, math.nan)
        row["epochs"] = trial.epochs
        row["seconds"] = round(trial.seconds, 3)
        rows.append(row)
    return columns, rows


def write_csv(columns: list[str], rows: list[dict[str, Any]], out: TextIO) -> None:
    """CSV with a header row; missing metrics are empty cells."""
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})


def write_json(columns: list[str], rows: list[dict[str, Any]], out: TextIO) -> None:
    """A JSON array of objects with the same keys as the CSV; missing metrics are null."""
    clean = [{k: _json_value(row[k]) for k in columns} for row in rows]
    json.dump(clean, out, indent=2)
    out.write("\n")


def _cell(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return "" if math.isnan(value) else value
    return value


def _json_value(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
