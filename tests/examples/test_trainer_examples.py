"""The shipped trainer examples run end to end through the real command line: a copy of
resources/examples/ is swept with `caviar sweep`, exported with `caviar export`, and every
trial finishes with finite values and a column per metric of the example's own.
The scikit-learn and PyTorch examples run only where those packages are installed."""

from __future__ import annotations

import csv
import importlib.util
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.core.config import load_config
from desktop_app.core.study import SQLiteStorage

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"
FINISHED = {"complete", "pruned"}


def caviar(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "desktop_app", *args], capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, "PYTHONUNBUFFERED": "1"})


@pytest.fixture
def examples(tmp_path: Path) -> Path:
    """A copy of the examples folder, so nothing is ever written into resources/."""
    folder = tmp_path / "examples"
    shutil.copytree(EXAMPLES, folder, ignore=shutil.ignore_patterns("__pycache__", "*.db"))
    return folder


def sweep_and_export(config: Path, *flags: str) -> tuple[list[str], list[dict[str, str]]]:
    """Run the sweep, then export it as CSV: the columns and the rows."""
    db = config.with_suffix(".db")
    done = caviar("sweep", str(config), "--storage", str(db), *flags)
    assert done.returncode == 0, done.stdout + done.stderr
    out = config.with_suffix(".csv")
    exported = caviar("export", str(db), "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    with out.open(newline="") as file:
        reader = csv.DictReader(file)
        return list(reader.fieldnames or []), list(reader)


def assert_finite(rows: list[dict[str, str]], *metrics: str) -> None:
    """Every trial finished (complete or pruned), at least one complete, metrics finite."""
    assert rows
    assert {row["state"] for row in rows} <= FINISHED, [row["state"] for row in rows]
    assert any(row["state"] == "complete" for row in rows)
    for row in rows:
        for name in metrics:
            assert math.isfinite(float(row[name])), (name, row)


def test_numpy_function_example(examples: Path) -> None:
    config = examples / "numpy_function.toml"
    columns, rows = sweep_and_export(config, "--trials", "6")
    assert len(rows) == 6
    assert columns[columns.index("seconds") + 1:] == ["val_f1"]  # own metric, after built-ins
    assert {"learning_rate", "hidden_units", "weight_scale"} <= set(columns)
    assert_finite(rows, "val_loss", "val_accuracy", "val_f1")
    assert max(float(row["val_f1"]) for row in rows) > 0.8  # the network does learn
    assert not list(EXAMPLES.glob("*.db"))


def test_command_program_example_keeps_its_log(examples: Path) -> None:
    config = examples / "command_program.toml"
    columns, rows = sweep_and_export(config, "--trials", "4")
    assert len(rows) == 4
    assert columns[columns.index("seconds") + 1:] == ["weight_norm"]
    assert_finite(rows, "val_loss", "val_accuracy", "weight_norm")
    with SQLiteStorage(config.with_suffix(".db")) as storage:
        study = storage.get_study("command-program")
        trials = storage.get_trials(study.study_id)
    complete = [t for t in trials if t.state.value == "complete"]
    assert complete and all("training and 120 validation examples" in t.log for t in complete)
    assert all("epoch 25/25: val_loss" in t.log and "CAVIAR {" not in t.log for t in complete)


def test_the_numpy_trainer_stops_as_soon_as_it_is_asked() -> None:
    spec = importlib.util.spec_from_file_location(
        "numpy_mlp_under_test", EXAMPLES / "trainers" / "numpy_mlp.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    reported: list[int] = []

    class StopAfterTwo:
        seed = 1

        def report(self, epoch: int, **metrics: float) -> None:
            assert set(metrics) == {"train_loss", "val_loss", "val_accuracy", "val_f1"}
            reported.append(epoch)

        def should_stop(self) -> bool:
            return len(reported) >= 2

    params = dict(load_config(EXAMPLES / "numpy_function.toml").train,
                  learning_rate=0.1, hidden_units=16, weight_scale=1.0)
    assert module.train(params, StopAfterTwo()) is None
    assert reported == [1, 2]


def test_the_command_program_runs_on_its_own() -> None:
    done = subprocess.run(
        [sys.executable, "train_cli.py", "--lr", "0.5", "--epochs", "2"],
        cwd=EXAMPLES / "trainers", capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    reports = [line for line in done.stdout.splitlines() if line.startswith("CAVIAR {")]
    assert [line.split(",")[0] for line in reports] == ['CAVIAR {"epoch": 1',
                                                      'CAVIAR {"epoch": 2']


def test_sklearn_example(examples: Path) -> None:
    pytest.importorskip("sklearn")
    columns, rows = sweep_and_export(examples / "sklearn_sgd.toml", "--trials", "4")
    assert len(rows) == 4
    assert columns[-1] == "val_f1"
    assert_finite([r for r in rows if r["state"] == "complete"], "val_loss", "val_f1")


def test_torch_example(examples: Path) -> None:
    pytest.importorskip("torch")
    columns, rows = sweep_and_export(examples / "torch_mlp.toml", "--trials", "4")
    assert len(rows) == 4
    assert columns[-1] == "best_val_loss"  # the final metric train() returned
    assert_finite([r for r in rows if r["state"] == "complete"], "val_loss", "best_val_loss")
