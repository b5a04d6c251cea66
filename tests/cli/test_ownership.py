"""One program runs a study at a time: real ``caviar`` processes on one study file."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.cli.helpers import assert_each_trial_once, finished_count, run_cli, states, write_config


def _caviar(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "desktop_app", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_running(db: Path, proc: subprocess.Popen) -> None:
    """Until ``proc`` has a trial running in ``db``."""
    deadline = time.monotonic() + 120
    while True:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "no trial started in time"
        if "running" in states(db):
            return
        time.sleep(0.05)


def test_a_second_run_of_a_study_is_refused_while_readers_read(tmp_path: Path) -> None:
    config = write_config(tmp_path, trials=3, workers=1, epochs=3000, samples=300)  # seconds
    db = tmp_path / "sweep.db"
    sweep = _caviar("sweep", str(config))
    try:
        _wait_for_running(db, sweep)
        start = time.monotonic()
        second = run_cli("resume", str(db), timeout=60)
        assert time.monotonic() - start < 15  # refused at once, not after waiting
        assert second.returncode == 2
        line = second.stderr.strip()
        assert "\n" not in line and "Traceback" not in line
        assert line.startswith(f"{db}: study 'small' is being run by process {sweep.pid} on ")
        assert "caviar sweep" in line
        assert run_cli("studies", str(db)).returncode == 0
        assert run_cli("export", str(db)).returncode == 0
        with sqlite3.connect(db) as conn:  # the refused run took no running trial over
            assert conn.execute("SELECT count(*) FROM trials WHERE state = 'interrupted'"
                                ).fetchone() == (0,)
    finally:
        sweep.send_signal(signal.SIGINT)
        sweep.communicate(timeout=60)
    assert sweep.returncode == 130
    assert run_cli("resume", str(db), timeout=300).returncode == 0
    assert_each_trial_once(db, 3)
    assert list(tmp_path.glob("*.lock")) == []  # every owner cleaned up after itself


def test_two_resumes_at_once_run_each_trial_once(tmp_path: Path) -> None:
    config = write_config(tmp_path, trials=4, workers=2, executor="process", epochs=3000,
                          samples=300)  # seconds a trial: the first resume outlives the second
    db = tmp_path / "sweep.db"
    sweep = _caviar("sweep", str(config))
    _wait_for_running(db, sweep)
    sweep.send_signal(signal.SIGINT)
    sweep.communicate(timeout=60)
    assert sweep.returncode == 130 and finished_count(db) < 4

    first, second = _caviar("resume", str(db)), _caviar("resume", str(db))
    results = [(p.pid, p.wait(timeout=300), *p.communicate()) for p in (first, second)]
    codes = sorted(code for _, code, _, _ in results)
    assert codes == [0, 2], results
    winner = next(pid for pid, code, _, _ in results if code == 0)
    refused = next(err for _, code, _, err in results if code == 2)
    assert f"is being run by process {winner} on " in refused
    assert "Traceback" not in refused
    assert_each_trial_once(db, 4)
