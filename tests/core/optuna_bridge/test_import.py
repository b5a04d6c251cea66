"""Optuna studies grown by ``study.optimize`` read as Caviar studies (the import and the
window's view share this translation)."""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import optuna
import pytest

from desktop_app.core.optuna_bridge import (
    OptunaStorageError,
    open_source,
    read_study,
    store_study,
    study_names,
)
from desktop_app.core.study import InMemoryStorage, TrialState
from tests.core.optuna_bridge.helpers import journal, multi_objective_study, optuna_study


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("kind", ["rdb", "journal"])
def test_states_epochs_and_attrs_come_over(tmp_path: Path, kind: str) -> None:
    path = tmp_path / ("o.db" if kind == "rdb" else "o.log")
    study = optuna_study(f"sqlite:///{path}" if kind == "rdb" else journal(path))
    before = _digest(path)
    source = open_source(str(path), "opt")
    imported = read_study(source)
    source.close()
    assert _digest(path) == before  # only read
    frozen = study.get_trials()
    states = {t.state for t in imported.trials}
    assert {TrialState.COMPLETE, TrialState.PRUNED, TrialState.FAILED} <= states
    for trial, original in zip(imported.trials, frozen, strict=True):
        assert trial.params == original.params
        steps = [original.intermediate_values[s] for s in sorted(original.intermediate_values)]
        values = [r.val_loss for r in trial.rows]
        assert values[:len(steps)] == steps
        if original.state is optuna.trial.TrialState.COMPLETE:
            assert values[-1] == original.value  # the final value is the last epoch's
    assert imported.plan.metric == "val_loss" and imported.plan.direction == "minimize"
    assert imported.plan.config["params"]["x"] == {"scale": "log", "low": 1e-3, "high": 1.0}
    assert imported.plan.config["params"]["c"] == {"values": ["a", "b"]}
    assert imported.extras["0"]["user_attrs"]["tag"] == frozen[0].user_attrs["tag"]
    assert "unknown hyperparameter 'x'" in imported.plan.resume_problem
    storage = InMemoryStorage()
    store_study(storage, imported)
    kept = storage.get_study("opt").config["optuna"]
    assert kept["study"] == "opt" and kept["directions"] == ["minimize"]


def test_multi_objective_shows_the_chosen_objective(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'mo.db'}"
    study = multi_objective_study(url)
    source = open_source(url, "mo")
    second = read_study(source, objective=1)
    first = read_study(source)
    source.close()
    assert first.plan.objectives == ("error", "speed")
    assert second.plan.metric == "val_accuracy" and second.plan.direction == "maximize"
    assert [t.rows[-1].val_accuracy for t in second.trials] == [
        t.values[1] for t in study.get_trials()]
    assert [t.rows[-1].val_loss for t in first.trials] == [t.values[0] for t in study.trials]
    assert any("2 objectives (error, speed)" in note for note in first.plan.notes)
    assert first.extras["0"]["values"] == study.trials[0].values
    with pytest.raises(OptunaStorageError) as exc:
        read_study(open_source(url, "mo"), objective=2)
    assert str(exc.value) == (f"{url}: study 'mo': has no objective 2 (objectives: error, "
                              "speed)")


def test_changing_distributions_are_merged_with_a_note(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    study = optuna.create_study(storage=url, study_name="drift")
    study.optimize(lambda t: t.suggest_float("x", 0.1, 1.0, log=True), n_trials=1)
    study.optimize(lambda t: t.suggest_float("x", 0.5, 10.0, log=True), n_trials=1)
    study.optimize(lambda t: float(t.suggest_int("k", 1, 3)), n_trials=1)
    study.optimize(lambda t: float(t.suggest_int("k", 2, 8)), n_trials=1)
    source = open_source(url, "drift")
    plan = read_study(source).plan
    source.close()
    x, k = plan.specs["x"], plan.specs["k"]
    assert (x.scale, x.low, x.high) == ("log", 0.1, 10.0)
    assert (k.scale, k.low, k.high, k.integer) == ("linear", 1, 8, True)
    assert [n.split(" changes")[0] for n in plan.notes] == ["parameter 'x'", "parameter 'k'"]
    assert "at trial 1" in plan.notes[0] and "at trial 3" in plan.notes[1]


def test_running_waiting_and_valueless_trials(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    study = optuna.create_study(storage=url, study_name="live")
    running = study.ask()
    running.suggest_float("x", 0, 1)
    running.report(0.25, 0)
    study.enqueue_trial({"x": 0.5})
    source = open_source(url, "live")
    live, snapshot = read_study(source, live=True), read_study(source)
    source.close()
    assert [t.state for t in live.trials] == [TrialState.RUNNING, TrialState.WAITING]
    assert [t.state for t in snapshot.trials] == [TrialState.INTERRUPTED, TrialState.WAITING]
    assert [r.val_loss for r in live.trials[0].rows] == [0.25]  # no value: no extra epoch
    storage = InMemoryStorage()
    store_study(storage, snapshot)
    trials = storage.get_trials(1)
    assert [t.state for t in trials] == [TrialState.INTERRUPTED, TrialState.WAITING]
    assert math.isclose(trials[0].metrics["val_loss"], 0.25)


def test_study_names_lists_every_study(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'n.db'}"
    optuna.create_study(storage=url, study_name="one")
    optuna.create_study(storage=url, study_name="two")
    assert study_names(url) == ["one", "two"]
