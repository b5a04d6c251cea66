"""Caviar -> Optuna -> Caviar: ``optuna.load_study`` finds everything, and importing the
export gives the same trials (params, state, seed, every epoch value)."""

from __future__ import annotations

import math
from pathlib import Path

import optuna
import pytest
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from optuna.trial import TrialState as OptunaState

from desktop_app.core.optuna_bridge import export_study, open_source, read_study, store_study
from desktop_app.core.optuna_bridge.exporting import distributions
from desktop_app.core.study import EpochRow, SQLiteStorage, Storage, TrialRecord, TrialState
from tests.core.optuna_bridge.helpers import caviar_study


def _trials(storage: Storage, name: str) -> list[tuple]:
    study_id = storage.get_study(name).study_id
    epochs = storage.get_epochs(study_id)
    return [(t.number, t.state, t.params, t.seed, t.error,
             [tuple("nan" if isinstance(v, float) and math.isnan(v) else v
                    for v in (e.epoch, e.train_loss, e.train_accuracy, e.val_loss,
                              e.val_accuracy, e.learning_rate, e.seconds))
              for e in epochs if e.number == t.number])
            for t in storage.get_trials(study_id)]


@pytest.fixture(scope="module")
def caviar(tmp_path_factory: pytest.TempPathFactory) -> SQLiteStorage:
    storage = caviar_study(tmp_path_factory.mktemp("caviar") / "mix.db")
    yield storage
    storage.close()


@pytest.mark.parametrize("target", ["sqlite", "journal"])
def test_load_study_finds_everything(caviar: SQLiteStorage, tmp_path: Path, target: str) -> None:
    spec = f"sqlite:///{tmp_path / 'out.db'}" if target == "sqlite" else str(tmp_path / "o.log")
    assert export_study(caviar, "mix", spec) == 8
    storage = spec if target == "sqlite" else optuna.storages.JournalStorage(
        optuna.storages.journal.JournalFileBackend(spec))
    study = optuna.load_study(study_name="mix", storage=storage)
    trials = study.get_trials()
    assert [t.state for t in trials] == [OptunaState.COMPLETE] * 4 + [
        OptunaState.FAIL, OptunaState.FAIL, OptunaState.PRUNED, OptunaState.FAIL]
    assert study.direction == optuna.study.StudyDirection.MINIMIZE
    assert study.metric_names == ["val_loss"]
    dists = trials[0].distributions
    assert dists["learning_rate"] == FloatDistribution(1e-3, 1e-1, log=True)
    assert dists["batch_size"] == IntDistribution(16, 64, log=True)
    assert dists["momentum"] == FloatDistribution(0.9, 0.999)
    assert isinstance(dists["optimizer"], CategoricalDistribution)
    assert study.user_attrs["caviar_scales"] == {"momentum": "reverse_log", "batch_size": "pow2"}
    assert study.user_attrs["caviar_config"]["study"]["name"] == "mix"
    stored = caviar.get_trials(caviar.get_study("mix").study_id)
    for frozen, record in zip(trials, stored, strict=True):
        assert frozen.params == record.params
        if frozen.state is OptunaState.COMPLETE:
            assert frozen.value == record.metrics["val_loss"]
            assert frozen.intermediate_values == {
                e.epoch: e.val_loss for e in caviar.get_epochs(record.study_id, record.number)}
    assert trials[4].user_attrs["caviar_state"] == "diverged"
    assert trials[5].user_attrs["caviar_error"].endswith("ValueError: boom")
    assert trials[7].user_attrs["caviar_state"] == "interrupted"


@pytest.mark.parametrize("target", ["out.db", "out.log"])
def test_round_trip_gives_the_same_trials(caviar: SQLiteStorage, tmp_path: Path,
                                          target: str) -> None:
    spec = str(tmp_path / target)
    export_study(caviar, "mix", spec)
    source = open_source(spec, "mix")
    imported = read_study(source)
    source.close()
    assert imported.plan.notes == () and imported.plan.resume_problem == ""
    with SQLiteStorage(tmp_path / "back.db") as back:
        store_study(back, imported)
        assert _trials(back, "mix") == _trials(caviar, "mix")
        config = back.get_study("mix").config
        assert {k: v for k, v in config.items() if k != "optuna"} == \
            caviar.get_study("mix").config
        assert [t.state for t in back.get_trials(1)][-4:] == [
            TrialState.DIVERGED, TrialState.FAILED, TrialState.PRUNED, TrialState.INTERRUPTED]


def test_distributions_hold_every_trial_value() -> None:
    params = {"learning_rate": {"scale": "log", "low": 1e-3, "high": 1e-1},
              "batch_size": {"scale": "pow2", "low": 16, "high": 64},
              "optimizer": {"values": ["adam"]}}
    trials = [TrialRecord(1, 0, TrialState.COMPLETE, {"learning_rate": 0.5, "batch_size": 128,
                                                     "optimizer": "sgd"}, 0),
              TrialRecord(1, 1, TrialState.COMPLETE, {"learning_rate": 0.01, "panda": True}, 0)]
    dists, scales = distributions(params, trials)
    assert dists["learning_rate"] == FloatDistribution(1e-3, 0.5, log=True)
    assert dists["batch_size"] == IntDistribution(16, 128, log=True)
    assert dists["optimizer"] == CategoricalDistribution(["adam", "sgd"])
    assert dists["panda"] == CategoricalDistribution([True])
    assert scales == {"batch_size": "pow2"}


def test_a_study_of_own_metrics_round_trips(tmp_path: Path) -> None:
    config = {"study": {"name": "own", "metric": "f1", "direction": "maximize", "trials": 2},
              "trainer": {"function": "/x/model.py:train", "workdir": "/x"},
              "params": {"width": {"scale": "pow2", "low": 1, "high": 8}}}
    with SQLiteStorage(tmp_path / "own.db") as storage:
        study_id = storage.create_study("own", config).study_id
        for number, width in enumerate((2, 4)):
            storage.create_trial(study_id, {"width": width}, seed=number)
            storage.set_trial_running(study_id, number)
            for epoch in (1, 2):
                storage.add_epoch(study_id, EpochRow(number, epoch, *[math.nan] * 5, 0.5,
                                                     extra={"f1": width * epoch / 10,
                                                            "loss": 1 / epoch}))
            storage.finish_trial(study_id, number, TrialState.COMPLETE)
        spec = f"sqlite:///{tmp_path / 'out.db'}"
        export_study(storage, "own", spec)
        study = optuna.load_study(study_name="own", storage=spec)
        assert [t.value for t in study.get_trials()] == [0.4, 0.8]
        assert study.get_trials()[1].intermediate_values == {1: 0.4, 2: 0.8}
        assert study.metric_names == ["f1"]
        source = open_source(spec, "own")
        imported = read_study(source)
        source.close()
        with SQLiteStorage(tmp_path / "back.db") as back:
            store_study(back, imported)
            back_id = back.get_study("own").study_id
            assert [(r.number, r.epoch, r.extra) for r in back.get_epochs(back_id)] == [
                (r.number, r.epoch, r.extra) for r in storage.get_epochs(study_id)]
            assert back.get_study("own").config["trainer"] == config["trainer"]


def test_an_optuna_parameter_answers_as_a_param_does() -> None:
    from desktop_app.core.optuna_bridge.mapping import spec_of

    lr = spec_of("learning_rate", FloatDistribution(1e-4, 1.0, log=True))
    width = spec_of("width", IntDistribution(1, 64))
    assert (lr.scaling.name, lr.is_integer, lr.group) == ("log", False, 1)
    assert (width.scaling.name, width.is_integer, width.group) == ("linear", True, 0)
    assert spec_of("opt", CategoricalDistribution(["a", "b"])).scaling is None
