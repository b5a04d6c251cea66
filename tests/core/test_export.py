"""Exports stream a big study block by block and still write exactly the documented table."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import pytest

from desktop_app.core.export import (
    BLOCK,
    TAIL_COLUMNS,
    export_table,
    save_export,
    write_csv,
    write_json,
)
from desktop_app.core.study import METRIC_NAMES, EpochRow, SQLiteStorage, TrialState

TRIALS = 5000
PARAMS = {"learning_rate": {"scale": "log", "low": 1e-4, "high": 1.0},
          "optimizer": {"values": ["sgd", "adam"]}}


@pytest.fixture(scope="module")
def study_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """5,000 trials over several blocks: complete with epochs, pruned, failed with none."""
    path = tmp_path_factory.mktemp("export") / "big.db"
    with SQLiteStorage(path) as storage:
        sid = storage.create_study("big", {"params": PARAMS}).study_id
        for n in range(TRIALS):
            params = {"learning_rate": 10 ** -(n % 4) / 3, "optimizer": ["sgd", "adam"][n % 2]}
            storage.create_trial(sid, params if n % 7 else {"learning_rate": 0.1}, seed=n)
            storage.set_trial_running(sid, n)
            for epoch in range(1, n % 3 + 1):
                storage.add_epoch(sid, EpochRow(n, epoch, 1 / (n + epoch), 0.5, math.nan,
                                                0.25, 0.01))
            state = [TrialState.COMPLETE, TrialState.PRUNED, TrialState.FAILED][n % 3]
            storage.finish_trial(sid, n, state)
    return path


def _expected_rows(path: Path) -> tuple[list[str], list[dict]]:
    """The table as documented, built from every trial at once."""
    columns = ["number", "state", *PARAMS, *TAIL_COLUMNS]
    with SQLiteStorage(path) as storage:
        trials = storage.get_trials(storage.get_study("big").study_id)
    rows = [{"number": t.number, "state": t.state.value,
             **{name: t.params.get(name) for name in PARAMS},
             **{name: t.metrics[name] for name in METRIC_NAMES},
             "epochs": t.epochs, "seconds": round(t.seconds, 3)} for t in trials]
    return columns, rows


def test_the_csv_of_a_study_bigger_than_a_block_is_the_whole_table(study_file: Path) -> None:
    assert TRIALS > 2 * BLOCK
    columns, rows = _expected_rows(study_file)
    expected = io.StringIO()
    writer = csv.writer(expected, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if isinstance(v, float) and math.isnan(v) else v
                         for v in row.values()])
    with SQLiteStorage(study_file) as storage:
        got_columns, got_rows = export_table(storage, "big")
        out = io.StringIO()
        assert write_csv(got_columns, got_rows, out) == TRIALS
    assert got_columns == columns
    assert out.getvalue() == expected.getvalue()


def test_the_json_is_laid_out_as_one_indented_array(study_file: Path) -> None:
    _, rows = _expected_rows(study_file)
    clean = [{k: None if isinstance(v, float) and math.isnan(v) else v for k, v in row.items()}
             for row in rows]
    with SQLiteStorage(study_file) as storage:
        out = io.StringIO()
        assert write_json(*export_table(storage, "big"), out) == TRIALS
    assert out.getvalue() == json.dumps(clean, indent=2) + "\n"


def test_rows_are_read_as_they_are_written(study_file: Path, tmp_path: Path) -> None:
    with SQLiteStorage(study_file) as storage:
        _, rows = export_table(storage, "big")
        assert next(rows)["number"] == 0  # a generator: nothing else was read yet
        assert save_export(write_csv, ["number"], ({"number": r["number"]} for r in rows),
                           tmp_path / "rest.csv") == TRIALS - 1
    assert (tmp_path / "rest.csv").read_text().splitlines()[1:3] == ["1", "2"]


def test_an_empty_study_exports_an_empty_array() -> None:
    out = io.StringIO()
    assert write_json(["number"], [], out) == 0
    assert out.getvalue() == "[]\n"
