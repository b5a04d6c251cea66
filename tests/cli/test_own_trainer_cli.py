"""`caviar sweep/resume` with the user's own code, in real processes: every bad [trainer]
is one line and exit status 2 before anything runs; kill -9 then resume runs each interrupted
trial exactly once; a metric never reported is said once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli.helpers import alive, assert_each_trial_once, run_cli, states

CONFIG = """
[study]
name = "small"
metric = "f1"
trials = {trials}
workers = 2
executor = "process"

[trainer]
{trainer}

[train]
epochs = {epochs}

[params.lr]
scale = "log"
low = 1e-3
high = 1.0
"""

SLOW = """
import time

def train(params, trial):
    for epoch in range(1, params["epochs"] + 1):
        time.sleep(0.1)
        trial.report(epoch, f1=params["lr"] * epoch)
        if trial.should_stop():
            return
"""

PROGRAM = """
import json, os, sys, time
with open(f"pid-{os.getpid()}", "w"):
    pass
for epoch in range(1, int(sys.argv[2]) + 1):
    time.sleep(0.1)
    print("CAVIAR " + json.dumps({"epoch": epoch, "f1": float(sys.argv[1]) * epoch}))
"""


def _write(tmp_path: Path, trainer: str, trials: int = 3, epochs: int = 2) -> Path:
    (tmp_path / "slow.py").write_text(SLOW)
    (tmp_path / "prog.py").write_text(PROGRAM)
    path = tmp_path / "sweep.toml"
    path.write_text(CONFIG.format(trainer=trainer, trials=trials, epochs=epochs))
    return path


@pytest.mark.parametrize(("trainer", "line"), [
    ('function = "gone.py:train"', "sweep.toml: trainer.function: no such file '{tmp}/gone.py' "
                                   "(a relative path starts at the config's folder)"),
    ('function = "slow.py:fit"', "sweep.toml: trainer.function: {tmp}/slow.py has no function "
                                 "'fit'; its functions: train"),
    ('function = "bad.py:train"', "sweep.toml: trainer.function: {tmp}/bad.py, line 1: "
                                  "'(' was never closed; fix the file"),
    ('command = ["no-such-trainer-xyz"]', "sweep.toml: trainer.command: program "
                                          "'no-such-trainer-xyz' not found on PATH: install "
                                          "it, or give its full path"),
    ('command = ["python", "prog.py", "{rate}"]',
     "sweep.toml: trainer.command: {{rate}} is not a hyperparameter of this config; add it to "
     "[params] or [train], or use one of: {{epochs}}, {{lr}}, {{trial_number}}"),
])
def test_a_bad_trainer_is_one_line_and_status_2(tmp_path: Path, trainer: str, line: str) -> None:
    (tmp_path / "bad.py").write_text("print((\n")
    config = _write(tmp_path, trainer)
    result = run_cli("sweep", str(config))
    assert result.returncode == 2
    assert result.stderr.strip() == line.format(tmp=tmp_path)
    assert not (tmp_path / "sweep.db").exists()


def test_a_metric_never_reported_is_said_once(tmp_path: Path) -> None:
    config = _write(tmp_path, 'function = "slow.py:train"', trials=3, epochs=1)
    config.write_text(config.read_text().replace('metric = "f1"', 'metric = "auc"'))
    result = run_cli("sweep", str(config))
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("note: trial") == 1
    assert "did not report the study metric 'auc' (it reported f1)" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="POSIX process groups")
@pytest.mark.parametrize("kind", ["function", "command"])
def test_kill_9_then_resume_runs_each_trial_once(tmp_path: Path, kind: str) -> None:
    trainer = ('function = "slow.py:train"' if kind == "function"
               else 'command = ["python", "prog.py", "{lr}", "{epochs}"]')
    config = _write(tmp_path, trainer, trials=6, epochs=30)  # 3 s a trial
    db = tmp_path / "sweep.db"
    sweep = subprocess.Popen([sys.executable, "-m", "desktop_app", "sweep", str(config)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not (db.exists() and states(db).count("running") == 2):
            assert sweep.poll() is None and time.monotonic() < deadline, "no trials ran"
            time.sleep(0.05)
        time.sleep(0.5)  # some epochs stored
    finally:
        os.killpg(sweep.pid, signal.SIGKILL)
        sweep.wait()
    assert states(db).count("running") == 2  # as the dead owner left them
    if kind == "command":  # the programs notice: their worker stops them
        deadline = time.monotonic() + 10
        pids = [int(p.name[4:]) for p in tmp_path.glob("pid-*")]
        while any(alive(pid) for pid in pids):
            assert time.monotonic() < deadline, "orphaned programs kept training"
            time.sleep(0.05)
    result = run_cli("resume", str(db), timeout=300)
    assert result.returncode == 0, result.stderr
    assert_each_trial_once(db, 6)


