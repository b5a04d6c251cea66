"""kill -9 right after a TrialFinished was yielded (and printed) keeps that trial whole.

The SQLite store holds epochs for up to 0.1 s; a finished trial is committed, with its epochs,
before the coordinator yields TrialFinished (docs/architecture.md, "Big studies").
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from desktop_app.core.study import FINISHED_STATES, SQLiteStorage, TrialState

ROOT = Path(__file__).resolve().parents[2]
EPOCHS = 5
_SWEEP = textwrap.dedent(
    f"""
    import sys
    from desktop_app.core.events import TrialFinished
    from desktop_app.core.runner import Coordinator
    from desktop_app.core.runner.thread_executor import ThreadExecutor
    from desktop_app.core.study import SQLiteStorage
    from tests.core.runner.helpers import instant_trial, small_config

    config = small_config(trials=100000, workers=1, epochs={EPOCHS})
    with SQLiteStorage(sys.argv[1]) as storage:
        for event in Coordinator(storage, config, ThreadExecutor(1, run=instant_trial)).run():
            if isinstance(event, TrialFinished):
                print(event.number, flush=True)
    """
)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_trial_printed_as_finished_survives_kill_9(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    child = subprocess.Popen([sys.executable, "-c", _SWEEP, str(path)], stdout=subprocess.PIPE,
                             text=True, cwd=ROOT)
    try:
        assert child.stdout is not None
        printed: list[int] = []
        while len(printed) < 30:
            printed.append(int(child.stdout.readline()))
        os.kill(child.pid, signal.SIGKILL)  # right after a TrialFinished was printed
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
    with SQLiteStorage(path) as storage:
        sid = storage.get_study("s").study_id
        for number in printed:
            trial = storage.get_trial(sid, number)
            assert trial.state is TrialState.COMPLETE and trial.epochs == EPOCHS
            rows = storage.get_epochs(sid, number)
            assert [r.epoch for r in rows] == list(range(1, EPOCHS + 1))
            assert trial.metrics["val_accuracy"] == rows[-1].val_accuracy
        for trial in storage.get_trials(sid):  # later trials: whole or resumable, never torn
            epochs = [r.epoch for r in storage.get_epochs(sid, trial.number)]
            assert epochs == list(range(1, len(epochs) + 1))
            assert trial.state in FINISHED_STATES or trial.state in (
                TrialState.RUNNING, TrialState.WAITING)
