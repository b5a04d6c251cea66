"""Shared helpers of the command-line tests: a small sweep config, running `caviar` in a real
process, and reading a study file while another process writes it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from desktop_app.core.study import FINISHED_STATES, SQLiteStorage

SMALL = """
[study]
name = "small"
strategy = "random"
trials = {trials}
workers = {workers}
executor = "{executor}"
seed = 3

[data]
dataset = "spiral"
samples = {samples}

[train]
epochs = {epochs}
hidden_units = 8
hidden_layers = 1

[params.learning_rate]
scale = "log"
low = 1e-3
high = 1e-1

[params.batch_size]
scale = "pow2"
low = 16
high = 64
"""


def write_config(tmp_path: Path, trials: int = 3, workers: int = 1, executor: str = "thread",
                 epochs: int = 2, samples: int = 150) -> Path:
    path = tmp_path / "sweep.toml"
    path.write_text(SMALL.format(trials=trials, workers=workers, executor=executor,
                                 epochs=epochs, samples=samples))
    return path


def run_cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.run([sys.executable, "-m", "desktop_app", *args], capture_output=True,
                          text=True, timeout=timeout, env=env)


def states(db: Path) -> list[str]:
    """The trials' states in ``db`` by number; empty while the file or its tables are not
    there yet (a sweep that just started is still creating them)."""
    if not db.exists():
        return []
    try:
        with sqlite3.connect(db) as conn:
            return [s for (s,) in conn.execute("SELECT state FROM trials ORDER BY number")]
    except sqlite3.OperationalError:
        return []


def finished_count(db: Path) -> int:
    """How many trials of ``db`` are finished (count against the budget)."""
    return sum(s in {str(x) for x in FINISHED_STATES} for s in states(db))


def assert_each_trial_once(db: Path, budget: int) -> None:
    """Every trial finished, with each of its epochs stored exactly once."""
    with SQLiteStorage(db) as storage:
        study = storage.get_study("small")
        trials = storage.get_trials(study.study_id)
        assert [t.number for t in trials] == list(range(budget))
        assert all(t.state in FINISHED_STATES for t in trials), [t.state for t in trials]
        assert all(t.state.value != "failed" for t in trials), [t.error for t in trials]
        for trial in trials:
            epochs = [row.epoch for row in storage.get_epochs(study.study_id, trial.number)]
            assert epochs == list(range(1, trial.epochs + 1))


def alive(pid: int) -> bool:
    """Running, not merely a zombie nobody has reaped yet (Linux /proc)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status
