"""The headless command line: sweep, studies, export, resume, and its error lines."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop_app.cli import main
from desktop_app.core.study import FINISHED_STATES, SQLiteStorage
from tests.cli.helpers import finished_count, run_cli, write_config


def test_bad_config_is_one_line_and_status_2(tmp_path: Path) -> None:
    path = tmp_path / "sweep.toml"
    path.write_text('[params.learning_rate]\nscale = "log"\nlow = 0\nhigh = 1\n')
    result = run_cli("sweep", str(path))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "sweep.toml: params.learning_rate: scale 'log' needs low > 0 (got 0)"
    ]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "sweep.db").exists()


def test_missing_files_are_one_line(tmp_path: Path) -> None:
    for args in (("sweep", str(tmp_path / "nope.toml")), ("export", str(tmp_path / "no.db"))):
        result = run_cli(*args)
        assert result.returncode == 2
        assert len(result.stderr.strip().splitlines()) == 1
        assert result.stderr.count("nope.toml") + result.stderr.count("no.db") == 1
        assert "Traceback" not in result.stderr


def test_sweep_studies_and_export(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    config = write_config(tmp_path)
    assert main(["sweep", str(config)]) == 0
    out = capsys.readouterr().out
    assert "3 of 3 trials finished" in out
    assert "best trial" in out

    db = tmp_path / "sweep.db"
    assert main(["studies", str(db)]) == 0
    assert "small: 3 finished of 3" in capsys.readouterr().out

    assert main(["export", str(db), "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["number", "state", "learning_rate", "batch_size", "train_loss",
                       "train_accuracy", "val_loss", "val_accuracy", "epochs", "seconds"]
    assert [r[0] for r in rows[1:]] == ["0", "1", "2"]
    assert all(r[1] == "complete" and r[8] == "2" for r in rows[1:])

    out_file = tmp_path / "r.json"
    assert main(["export", str(db), "--study", "small", "--format", "json",
                 "-o", str(out_file)]) == 0
    data = json.loads(out_file.read_text())
    assert len(data) == 3 and data[0]["batch_size"] in (16, 32, 64)


def test_export_into_a_closed_pipe_is_quiet(tmp_path: Path) -> None:
    db = tmp_path / "big.db"
    with SQLiteStorage(db) as storage:  # more rows than a pipe buffers
        study = storage.create_study("big", {"params": {"learning_rate": {}}})
        for i in range(3000):
            storage.create_trial(study.study_id, {"learning_rate": 1e-3 + i}, seed=i)
    export = subprocess.Popen([sys.executable, "-m", "desktop_app", "export", str(db)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    export.stdout.readline()  # the header, then the reader goes away
    export.stdout.close()
    assert export.wait(timeout=60) == 0
    assert export.stderr.read() == b""


def test_sweep_refuses_an_existing_study(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    config = write_config(tmp_path, trials=1, epochs=1)
    assert main(["sweep", str(config)]) == 0
    assert main(["sweep", str(config)]) == 2
    assert "caviar resume" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.parametrize("executor", ["thread", "process"])
def test_kill_9_then_resume_ends_with_exactly_the_budget(tmp_path: Path, executor: str) -> None:
    config = write_config(tmp_path, trials=8, workers=2, executor=executor, epochs=40,
                          samples=300)
    db = tmp_path / "sweep.db"
    proc = subprocess.Popen([sys.executable, "-m", "desktop_app", "sweep", str(config)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if db.exists() and finished_count(db) >= 2:
                break
            time.sleep(0.05)
        else:
            pytest.fail("the sweep did not finish two trials in time")
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the sweep and any worker processes
        proc.wait()
    before = finished_count(db)
    assert 2 <= before < 8

    result = run_cli("resume", str(db), timeout=300)
    assert result.returncode == 0, result.stderr
    with SQLiteStorage(db) as storage:
        study = storage.get_study("small")
        trials = storage.get_trials(study.study_id)
        numbers = [t.number for t in trials]
        assert len(numbers) == len(set(numbers))
        assert sum(t.state in FINISHED_STATES for t in trials) == 8
        assert all(t.state in FINISHED_STATES for t in trials)
        for trial in trials:  # every finished trial has all its epochs, none twice
            epochs = [row.epoch for row in storage.get_epochs(study.study_id, trial.number)]
            assert epochs == list(range(1, trial.epochs + 1))


@pytest.mark.parametrize("executor", ["thread", "process"])
def test_ctrl_c_stops_cleanly_and_resume_finishes(tmp_path: Path, executor: str) -> None:
    config = write_config(tmp_path, trials=6, workers=2, executor=executor, epochs=300,
                          samples=300)  # about half a second a trial: some run at Ctrl-C
    db = tmp_path / "sweep.db"
    proc = subprocess.Popen([sys.executable, "-m", "desktop_app", "sweep", str(config)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not (db.exists() and finished_count(db) >= 1):
        assert time.monotonic() < deadline, "no trial finished in time"
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert "caviar resume" in out
    with sqlite3.connect(db) as conn:
        states = [s for (s,) in conn.execute("SELECT state FROM trials")]
    assert "running" not in states and "interrupted" in states

    result = run_cli("resume", str(db), timeout=300)
    assert result.returncode == 0, result.stderr
    assert finished_count(db) == 6


def test_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("caviar ")
