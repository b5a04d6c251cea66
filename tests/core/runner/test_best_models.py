"""The trained models of the best k trials are kept (as .npz, never pickle), and only those."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest

from desktop_app.core.config import parse_config
from desktop_app.core.data import load_split
from desktop_app.core.nn import load_network
from desktop_app.core.runner import Coordinator
from desktop_app.core.runner.best_models import BestModels
from desktop_app.core.study import InMemoryStorage, TrialState, best_trial
from tests.core.runner.helpers import small_config


def test_a_sweep_keeps_the_models_of_its_best_k_trials() -> None:
    config = small_config(trials=6, workers=2, keep_weights=2)
    storage = InMemoryStorage()
    coordinator = Coordinator(storage, config)
    list(coordinator.run())
    trials = storage.get_trials(coordinator.study_id)
    ranked = sorted((t for t in trials if t.state is TrialState.COMPLETE),
                    key=lambda t: (-t.metrics["val_accuracy"], t.number))
    kept = storage.weights_numbers(coordinator.study_id)
    assert kept == sorted(t.number for t in ranked[:2])
    best = best_trial(((t.number, t.state, t.metrics["val_accuracy"]) for t in trials),
                      "maximize")
    net = load_network(io.BytesIO(storage.get_weights(coordinator.study_id, best[0])))
    split = load_split(config.data, dtype="float32")
    _, accuracy = net.evaluate(split.X_val, split.y_val)
    assert accuracy == pytest.approx(best[1], abs=1e-6)  # the very model that scored it


def test_keep_weights_0_keeps_none() -> None:
    storage = InMemoryStorage()
    coordinator = Coordinator(storage, small_config(trials=2, keep_weights=0))
    list(coordinator.run())
    assert storage.weights_numbers(coordinator.study_id) == []


def test_ranking_drops_the_one_pushed_out_and_ignores_nan() -> None:
    storage = InMemoryStorage()
    sid = storage.create_study("s", {}).study_id
    for n in range(5):
        storage.create_trial(sid, {}, seed=n, state=TrialState.COMPLETE)
    models = BestModels(storage, sid, 2, "minimize", "val_loss", [])
    for number, value in ((0, 0.5), (1, 0.3), (2, float("nan")), (3, 0.4), (4, 0.3)):
        models.offer(number, value, f"model {number}".encode())
    assert models.numbers == [1, 4] and storage.weights_numbers(sid) == [1, 4]
    resumed = BestModels(storage, sid, 2, "minimize", "val_loss",
                         storage.get_trials(sid))  # NaN metrics: ranked last
    resumed.offer(0, 0.1, b"better")
    assert storage.weights_numbers(sid) == [0, 1]  # of equal (unknown) values, the lower number


def test_an_own_trainer_may_save_its_weights(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(
        "import numpy as np\n\ndef train(params, trial):\n"
        "    trial.report(1, f1=params['w'])\n"
        "    trial.save_weights(W=np.full((2, 2), params['w']))\n")
    config = parse_config({"study": {"metric": "f1", "trials": 3, "strategy": "grid",
                                     "executor": "process", "workers": 2, "keep_weights": 1},
                           "trainer": {"function": "m.py:train"},
                           "params": {"w": {"values": [1.0, 3.0, 2.0]}}}, tmp_path)
    storage = InMemoryStorage()
    coordinator = Coordinator(storage, config)
    list(coordinator.run())
    (kept,) = storage.weights_numbers(coordinator.study_id)
    with np.load(io.BytesIO(storage.get_weights(coordinator.study_id, kept))) as data:
        assert data["W"].tolist() == [[3.0, 3.0], [3.0, 3.0]]
