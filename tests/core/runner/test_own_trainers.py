"""Sweeps of the user's own code through the coordinator, on every local executor: the same
storage, pruning, notices and resume as Caviar's network."""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Any

import pytest

from desktop_app.core.config import parse_config
from desktop_app.core.events import EpochEnded, Notice, StudyFinished, TrialFinished
from desktop_app.core.export import export_table
from desktop_app.core.runner import Coordinator
from desktop_app.core.study import SQLiteStorage, TrialState

TRAIN = """
import math

def train(params, trial):
    for epoch in range(1, params["epochs"] + 1):
        score = 1 - abs(math.log10(params["lr"]) + 2) / 4 - 0.1 / epoch
        trial.report(epoch, f1=score, loss=1 - score)
        if trial.should_stop():
            return None
    return {"auc": score / 2}
"""

PROGRAM = """
import json, os, sys
lr = float(sys.argv[1])
for epoch in range(1, 4):
    print("CAVIAR " + json.dumps({"epoch": epoch, "f1": lr * epoch}))
print("done")
"""


def _config(tmp_path: Path, trainer: dict[str, Any], **study: Any):
    (tmp_path / "user_train.py").write_text(TRAIN)
    (tmp_path / "prog.py").write_text(PROGRAM)
    raw = {"study": {"name": "own", "metric": "f1", "trials": 6, "workers": 2,
                     "executor": "thread", "seed": 1, **study},
           "trainer": trainer, "train": {"epochs": 4},
           "params": {"lr": {"low": 1e-4, "high": 1.0, "scale": "log"}}}
    return parse_config(raw, tmp_path)


@pytest.mark.parametrize("executor", ["thread", "process"])
def test_a_function_sweep_is_stored_like_any_other(tmp_path: Path, executor: str) -> None:
    config = _config(tmp_path, {"function": "user_train.py:train"}, executor=executor)
    with SQLiteStorage(tmp_path / "s.db") as storage:
        events = list(Coordinator(storage, config).run())
        study_id = storage.get_study("own").study_id
        trials = storage.get_trials(study_id)
        assert [t.state for t in trials] == [TrialState.COMPLETE] * 6
        assert all(t.epochs == 4 and t.metrics["auc"] == t.metrics["f1"] / 2 for t in trials)
        assert storage.metric_names(study_id) == ["auc", "f1", "loss"]
        columns, rows = export_table(storage, "own")
        assert columns[-3:] == ["auc", "f1", "loss"] and len(list(rows)) == 6
        finished = events[-1]
        assert isinstance(finished, StudyFinished)
        best = max(trials, key=lambda t: t.metrics["f1"])
        assert finished.best_number == best.number
    assert not [e for e in events if isinstance(e, Notice)]


def test_a_command_sweep_runs_on_process_workers(tmp_path: Path) -> None:
    config = _config(tmp_path, {"command": [sys.executable, "prog.py", "{lr}"]},
                     executor="process", trials=3)
    with SQLiteStorage(tmp_path / "s.db") as storage:
        events = list(Coordinator(storage, config).run())
        trials = storage.get_trials(storage.get_study("own").study_id)
    done = [e for e in events if isinstance(e, TrialFinished)]
    assert [e.state for e in done] == ["complete"] * 3
    assert all(t.log == "done" and math.isclose(t.metrics["f1"], 3 * t.params["lr"])
               for t in trials)


def test_pruning_reaches_the_users_function(tmp_path: Path) -> None:
    config = _config(tmp_path, {"function": "user_train.py:train"}, pruner="median",
                     trials=12, workers=1)
    with SQLiteStorage(tmp_path / "s.db") as storage:
        list(Coordinator(storage, config).run())
        trials = storage.get_trials(storage.get_study("own").study_id)
    pruned = [t for t in trials if t.state is TrialState.PRUNED]
    assert pruned and all(t.epochs < 4 for t in pruned)


def test_a_metric_never_reported_is_said_once(tmp_path: Path) -> None:
    config = _config(tmp_path, {"function": "user_train.py:train"}, metric="val_accuracy",
                     trials=3)
    with SQLiteStorage(tmp_path / "s.db") as storage:
        events = list(Coordinator(storage, config).run())
    notices = [e for e in events if isinstance(e, Notice)]
    assert len(notices) == 1
    assert "did not report the study metric 'val_accuracy' (it reported auc, f1, loss)" \
        in notices[0].text
    assert isinstance(events[-1], StudyFinished) and events[-1].best_number is None


def test_a_stopped_own_sweep_resumes_and_runs_each_trial_once(tmp_path: Path) -> None:
    config = _config(tmp_path, {"function": "user_train.py:train"}, trials=6, workers=2)
    with SQLiteStorage(tmp_path / "s.db") as storage:
        coordinator = Coordinator(storage, config)
        seen = 0
        for event in coordinator.run():
            seen += isinstance(event, EpochEnded)
            if seen == 3:
                coordinator.stop()
        list(Coordinator(storage, config).run())
        trials = storage.get_trials(storage.get_study("own").study_id)
    assert [t.state for t in trials] == [TrialState.COMPLETE] * 6
    assert all(t.epochs == 4 for t in trials)


def test_changing_the_trainer_of_a_study_is_refused(tmp_path: Path) -> None:
    config = _config(tmp_path, {"function": "user_train.py:train"}, trials=1)
    with SQLiteStorage(tmp_path / "s.db") as storage:
        list(Coordinator(storage, config).run())
        other = _config(tmp_path, {"command": [sys.executable, "prog.py", "{lr}"]}, trials=2)
        with pytest.raises(Exception, match=r"different \[trainer\]"):
            Coordinator(storage, other)
