"""A signal to the whole process group of ``caviar sweep`` (``timeout``, systemd, a terminal
closing) stops it cleanly: running trials are interrupted, never failed, and resume re-runs them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli.helpers import (
    alive,
    assert_each_trial_once,
    finished_count,
    run_cli,
    states,
    write_config,
)

GROUP_SIGNALS = [getattr(signal, n) for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n)]


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="POSIX process groups")
@pytest.mark.parametrize("sig", GROUP_SIGNALS, ids=lambda s: signal.Signals(s).name)
@pytest.mark.parametrize("executor", ["process", "dask"])
def test_a_group_signal_interrupts_the_running_trials_and_resume_reruns_them(
    tmp_path: Path, sig: int, executor: str
) -> None:
    if executor == "dask":
        pytest.importorskip("distributed")
    config = write_config(tmp_path, trials=6, workers=2, executor=executor, epochs=3000,
                          samples=300)  # seconds a trial: two are running at the signal
    db = tmp_path / "sweep.db"
    sweep = subprocess.Popen([sys.executable, "-m", "desktop_app", "sweep", str(config)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             start_new_session=True)  # its own group, as under a terminal
    try:
        deadline = time.monotonic() + 120
        while not (db.exists() and states(db).count("running") == 2):
            assert sweep.poll() is None and time.monotonic() < deadline, "no trials ran"
            time.sleep(0.05)
        os.killpg(sweep.pid, sig)  # the sweep and every process in its group
        out, err = sweep.communicate(timeout=60)
    finally:
        if sweep.poll() is None:
            os.killpg(sweep.pid, signal.SIGKILL)
            sweep.wait()
    assert sweep.returncode == 130, err
    assert "Traceback" not in err
    assert "caviar resume" in out
    stored = states(db)
    assert stored.count("interrupted") == 2 and "running" not in stored, stored
    assert "failed" not in stored, stored

    result = run_cli("resume", str(db), timeout=300)
    assert result.returncode == 0, result.stderr
    assert_each_trial_once(db, 6)


def _children(pid: int) -> set[int]:
    """The pids of ``pid``'s child processes (Linux /proc)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found.update(int(c) for c in (task / "children").read_text().split())
    return found


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="Linux /proc")
def test_workers_exit_when_their_sweep_is_killed_9_alone(tmp_path: Path) -> None:
    config = write_config(tmp_path, trials=6, workers=2, executor="process", epochs=3000,
                          samples=300)
    db = tmp_path / "sweep.db"
    sweep = subprocess.Popen([sys.executable, "-m", "desktop_app", "sweep", str(config)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not (db.exists() and states(db).count("running") == 2):
            assert sweep.poll() is None and time.monotonic() < deadline, "no trials ran"
            time.sleep(0.05)
        workers = {pid for pid in _children(sweep.pid)
                   if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_text()}
        assert len(workers) == 2
    finally:
        sweep.kill()  # the coordinator only: its workers live in sessions of their own
        sweep.wait()
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in workers):  # they notice at their next mini-batch
        assert time.monotonic() < deadline, "orphaned workers kept training"
        time.sleep(0.05)
    result = run_cli("resume", str(db), timeout=300)  # the dead owner's trials run again
    assert result.returncode == 0, result.stderr
    assert_each_trial_once(db, 6)


_WINDOW = """
import sys
from desktop_app.gui.app import run_gui
from desktop_app.gui.window.main_window import MainWindow

opened = MainWindow.open_path


def open_then_resume(self, path):  # what a user does: open the study, press Resume
    opened(self, path)
    print("resumed", self.resume_sweep(), flush=True)


MainWindow.open_path = open_then_resume
sys.exit(run_gui(sys.argv[1]))
"""


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="POSIX process groups")
@pytest.mark.parametrize("sig", GROUP_SIGNALS, ids=lambda s: signal.Signals(s).name)
def test_the_window_stops_its_sweep_cleanly_on_a_group_signal(tmp_path: Path, sig: int) -> None:
    config = write_config(tmp_path, trials=3, workers=1, epochs=3000, samples=300)
    db = tmp_path / "sweep.db"
    sweep = subprocess.Popen([sys.executable, "-m", "desktop_app", "sweep", str(config)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while "running" not in states(db):
        assert sweep.poll() is None and time.monotonic() < deadline, "no trial started"
        time.sleep(0.05)
    sweep.send_signal(signal.SIGINT)
    assert sweep.wait(timeout=60) == 130  # a study to resume in the window

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data")}
    window = subprocess.Popen([sys.executable, "-c", _WINDOW, str(db)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while "running" not in states(db):
            assert window.poll() is None and time.monotonic() < deadline, window.communicate()
            time.sleep(0.05)
        refused = run_cli("resume", str(db), timeout=60)  # the window owns the study
        assert refused.returncode == 2
        assert f"is being run by process {window.pid} on " in refused.stderr
        os.killpg(window.pid, sig)
        out, err = window.communicate(timeout=60)
    finally:
        if window.poll() is None:
            os.killpg(window.pid, signal.SIGKILL)
            window.wait()
    assert window.returncode == 0, err
    assert "resumed True" in out and "Traceback" not in err
    stored = states(db)
    assert "running" not in stored and "interrupted" in stored, stored
    assert list(tmp_path.glob("*.lock")) == []  # the window gave the study up
    assert run_cli("resume", str(db), timeout=300).returncode == 0
    assert finished_count(db) == 3
