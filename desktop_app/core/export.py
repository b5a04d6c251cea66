"""Export a study's trials as CSV or JSON: one row per trial.

Columns (a contract): ``number, state``, one per searched parameter named as in the config,
then ``train_loss, train_accuracy, val_loss, val_accuracy, epochs, seconds``, then one per
other metric a trainer of the user's own reported (sorted by name; its value at the last epoch,
or the final value the trainer returned).

Rows stream: they are read from the storage in blocks of :data:`BLOCK` trials and written as
they come, so a 100,000-trial study never sits in memory whole.
"""

from __future__ import annotations

import csv
import errno
import json
import math
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from desktop_app.core.errors import CaviarError
from desktop_app.core.study import METRIC_NAMES, Storage

TAIL_COLUMNS = (*METRIC_NAMES, "epochs", "seconds")
BLOCK = 2000
"""Trials read from the storage at a time."""
Rows = Iterable[dict[str, Any]]
Writer = Callable[[list[str], Rows, TextIO], int]
"""``write_csv`` or ``write_json``: write the rows, return how many."""


class ExportError(CaviarError):
    """The export file cannot be written; ``field`` names it, ``problem`` says what to do."""


def export_table(storage: Storage, study_name: str) -> tuple[list[str], Iterator[dict[str, Any]]]:
    """Columns, and the rows (plain values) of every trial of a study ordered by number; the
    rows are a generator reading the storage block by block, so use them while it is open."""
    study = storage.get_study(study_name)
    param_names = list(study.config.get("params", {}))
    own = [m for m in storage.metric_names(study.study_id) if m not in METRIC_NAMES]
    columns = ["number", "state", *param_names, *TAIL_COLUMNS, *own]
    return columns, _rows(storage, study.study_id, param_names, own)


def _rows(storage: Storage, study_id: int, param_names: list[str], own: list[str]
          ) -> Iterator[dict[str, Any]]:
    first = 0
    while block := storage.get_trial_range(study_id, first, first + BLOCK):
        for trial in block:
            row: dict[str, Any] = {"number": trial.number, "state": str(trial.state)}
            for name in param_names:
                row[name] = trial.params.get(name)
            for name in METRIC_NAMES:
                row[name] = trial.metrics.get(name, math.nan)
            row["epochs"] = trial.epochs
            row["seconds"] = round(trial.seconds, 3)
            for name in own:
                row[name] = trial.metrics.get(name, math.nan)
            yield row
        first = block[-1].number + 1


def write_csv(columns: list[str], rows: Rows, out: TextIO) -> int:
    """CSV with a header row; missing metrics are empty cells. Returns the rows written."""
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
        count += 1
    return count


def write_json(columns: list[str], rows: Rows, out: TextIO) -> int:
    """A JSON array of objects with the same keys as the CSV; missing metrics are null.
    Written an object at a time, laid out as ``json.dump(..., indent=2)`` would. Returns the
    rows written."""
    count = 0
    for count, row in enumerate(rows, start=1):
        text = json.dumps({k: _json_value(row[k]) for k in columns}, indent=2)
        out.write(("[\n  " if count == 1 else ",\n  ") + text.replace("\n", "\n  "))
    out.write("\n]\n" if count else "[]\n")
    return count


def save_export(write: Writer, columns: list[str], rows: Rows, path: Path) -> int:
    """Write the export to ``path`` whole or not at all: a temporary file next to it replaces
    it only once complete, so a full disk never leaves a cut-off file or clobbers the old one.
    Returns the rows written; :class:`ExportError` with one line saying what to do when it
    cannot be written."""
    if path.is_dir():
        raise ExportError(str(path), "is a folder; give a file name, e.g. results.csv")
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        with open(partial, "w", encoding="utf-8", newline="") as out:
            count = write(columns, rows, out)
        os.replace(partial, path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ExportError(str(path), _write_problem(exc, path)) from None
    return count


def _write_problem(exc: OSError, path: Path) -> str:
    """What an OSError while exporting means for the user."""
    if exc.errno == errno.ENOENT:
        return f"no folder {str(path.parent)!r}; create it or write somewhere else"
    if exc.errno == errno.ENOSPC:
        return "the disk is full; free some space and export again (nothing was written)"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "cannot write there (no permission); choose another place"
    return f"cannot write it ({exc.strerror or exc}); choose another place"


def _cell(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return "" if math.isnan(value) else value
    return value


def _json_value(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
