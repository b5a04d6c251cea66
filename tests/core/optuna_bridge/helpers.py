"""Real studies for the Optuna bridge tests: Optuna studies grown by ``study.optimize`` with
small objectives, and a Caviar study grown by a real (tiny) sweep plus hand-made trials of
the states a sweep rarely reaches."""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import optuna

from desktop_app.core.config import parse_config
from desktop_app.core.events import StudyFinished
from desktop_app.core.runner import Coordinator
from desktop_app.core.study import EpochRow, SQLiteStorage, TrialState

optuna.logging.set_verbosity(optuna.logging.ERROR)

CAVIAR_CONFIG = {
    "study": {"name": "mix", "metric": "val_loss", "strategy": "random", "trials": 4,
              "workers": 1, "executor": "thread", "seed": 5},
    "data": {"dataset": "spiral", "samples": 90},
    "train": {"epochs": 3, "hidden_units": 8, "hidden_layers": 1},
    "params": {
        "learning_rate": {"scale": "log", "low": 1e-3, "high": 1e-1},
        "momentum": {"scale": "reverse_log", "low": 0.9, "high": 0.999},
        "batch_size": {"scale": "pow2", "low": 16, "high": 64},
        "optimizer": {"values": ["momentum", "adam"]},
    },
}


def objective(trial: optuna.Trial) -> float:
    """A small objective with a log float, an int and a category; reports 4 steps, can be
    pruned; trial 3 fails."""
    x = trial.suggest_float("x", 1e-3, 1.0, log=True)
    n = trial.suggest_int("n", 1, 5)
    c = trial.suggest_categorical("c", ["a", "b"])
    trial.set_user_attr("tag", f"{c}{n}")
    if trial.number == 3:
        raise ValueError("trial 3 fails")
    for step in range(4):
        trial.report(x * step + n, step)
        if trial.should_prune():
            raise optuna.TrialPruned()
    return x + n


def optuna_study(storage: str | optuna.storages.BaseStorage, name: str = "opt",
                 trials: int = 16) -> optuna.Study:
    """A single-objective study with complete, pruned and failed trials."""
    study = optuna.create_study(
        storage=storage, study_name=name, sampler=optuna.samplers.RandomSampler(seed=1),
        pruner=optuna.pruners.MedianPruner(n_startup_trials=2, n_warmup_steps=1))
    study.optimize(objective, n_trials=trials, catch=(ValueError,))
    return study


def multi_objective_study(storage: str, name: str = "mo") -> optuna.Study:
    """Two objectives (minimise, maximise) with named metrics."""
    study = optuna.create_study(storage=storage, study_name=name,
                                directions=["minimize", "maximize"],
                                sampler=optuna.samplers.RandomSampler(seed=2))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        study.set_metric_names(["error", "speed"])
    study.optimize(lambda t: (t.suggest_float("lr", 1e-4, 1.0, log=True),
                              float(t.suggest_int("width", 1, 9))), n_trials=5)
    return study


def journal(path: Path) -> optuna.storages.JournalStorage:
    """A journal storage in the file ``path`` (written by Optuna itself)."""
    return optuna.storages.JournalStorage(optuna.storages.journal.JournalFileBackend(str(path)))


def caviar_study(path: Path) -> SQLiteStorage:
    """A Caviar study file: a real 4-trial sweep, then a diverged, a failed, a pruned and an
    interrupted trial (the states a short sweep does not reach)."""
    storage = SQLiteStorage(path)
    events = list(Coordinator(storage, parse_config(CAVIAR_CONFIG)).run())
    assert isinstance(events[-1], StudyFinished)
    study_id = storage.get_study("mix").study_id
    params = {"learning_rate": 0.05, "momentum": 0.99, "batch_size": 32, "optimizer": "adam"}
    for state, epochs in ((TrialState.DIVERGED, 2), (TrialState.FAILED, 0),
                          (TrialState.PRUNED, 1), (TrialState.INTERRUPTED, 1)):
        number = storage.create_trial(study_id, params, seed=99).number
        storage.set_trial_running(study_id, number)
        for epoch in range(1, epochs + 1):
            loss = math.inf if state is TrialState.DIVERGED and epoch == epochs else 1.0 / epoch
            storage.add_epoch(study_id, EpochRow(number, epoch, loss, 0.5, loss, math.nan,
                                                 0.5, 0.01))
        storage.finish_trial(study_id, number, state,
                             "Traceback...\nValueError: boom" if state is TrialState.FAILED
                             else "")
    return storage
