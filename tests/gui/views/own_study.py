"""A stored study whose trainer is the user's own code and reports its own metric "f1"
(besides val_loss), built straight into a storage: what the window must show of it."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from desktop_app.core.study import EpochRow, Storage, TrialState

F1_TRIALS = 5
F1_EPOCHS = 3
TRAIN_SOURCE = 'def train(params, report):\n    return {"f1": 0.5}\n'


def own_config(workdir: Path, name: str = "own-f1") -> dict[str, Any]:
    """A config dict whose trainer is the function ``train`` of ``workdir/x.py`` (written)."""
    (workdir / "x.py").write_text(TRAIN_SOURCE)
    return {
        "study": {"name": name, "strategy": "random", "trials": F1_TRIALS, "workers": 1,
                  "executor": "thread", "seed": 1, "metric": "f1", "direction": "maximize"},
        "trainer": {"function": f"{workdir / 'x.py'}:train", "workdir": str(workdir)},
        "train": {"epochs": F1_EPOCHS},
        "params": {"learning_rate": {"scale": "log", "low": 1e-3, "high": 1e-1},
                   "dropout": {"scale": "linear", "low": 0.0, "high": 0.5}},
    }


def f1_of(number: int, epoch: int) -> float:
    """Trial ``number``'s f1 after ``epoch``: rises with the epoch, best for the last trial."""
    return round(0.1 * epoch + 0.05 * number, 4)


def add_f1_study(storage: Storage, workdir: Path, name: str = "own-f1") -> int:
    """Store a finished study of :data:`F1_TRIALS` trials reporting f1 and val_loss per epoch;
    trial 1 failed after its first epoch with an error and printed a log. Its id."""
    study_id = storage.create_study(name, own_config(workdir, name)).study_id
    for number in range(F1_TRIALS):
        params = {"learning_rate": 10 ** (-3 + 0.5 * number), "dropout": 0.1 * number}
        storage.create_trial(study_id, params, seed=number)
        storage.set_trial_running(study_id, number)
        failed = number == 1
        for epoch in range(1, 2 if failed else F1_EPOCHS + 1):
            storage.add_epoch(study_id, EpochRow(
                number, epoch, math.nan, math.nan, 1.0 / (epoch + number), math.nan, math.nan,
                0.01, extra={"f1": f1_of(number, epoch)}))
        storage.finish_trial(
            study_id, number, TrialState.FAILED if failed else TrialState.COMPLETE,
            "Traceback (most recent call last):\nValueError: bad batch" if failed else "",
            log=f"trial {number} says hello\nepoch lines...")
    return study_id
