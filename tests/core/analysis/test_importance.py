"""Importance through Optuna's evaluators: the parameter that drives the metric comes first;
too few trials, a parameter that never varied, a missing fANOVA are said in words."""

from __future__ import annotations

import numpy as np
import pytest

from desktop_app.core.analysis import MIN_TRIALS, ImportanceModel
from desktop_app.core.search import build_space
from desktop_app.core.study import TrialState

SPACE = build_space({
    "learning_rate": {"scale": "log", "low": 1e-4, "high": 1.0},
    "batch_size": {"scale": "pow2", "low": 16, "high": 512},
    "optimizer": {"values": ["sgd", "adam"]},
})


def _trials(n: int, seed: int = 0) -> list[tuple]:
    rng = np.random.default_rng(seed)
    trials = []
    for number in range(n):
        lr = float(10 ** rng.uniform(-4, 0))
        params = {"learning_rate": lr, "batch_size": int(2 ** rng.integers(4, 10)),
                  "optimizer": ["sgd", "adam"][number % 2]}
        trials.append((number, params, "complete", -abs(np.log10(lr) + 2)))
    return trials


def test_the_parameter_that_drives_the_metric_comes_first() -> None:
    model = ImportanceModel(SPACE, "maximize")
    assert model.add(_trials(200)) == 200
    result = model.compute()
    assert result.method == "ped_anova" and result.trials == 200 and result.note == ""
    assert result.values[0][0] == "learning_rate" and result.values[0][1] > 0.8
    assert sum(v for _, v in result.values) == pytest.approx(1.0)
    assert result.groups == {"learning_rate": 1, "batch_size": 2, "optimizer": 3}


def test_only_new_finished_trials_are_added() -> None:
    model = ImportanceModel(SPACE, "maximize")
    trials = _trials(30)
    model.add(trials[:10])
    failed = [(99, trials[0][1], TrialState.FAILED.value, float("nan"))]
    assert model.add(trials + failed) == 20 and model.trials == 30


def test_few_trials_and_fixed_parameters_are_said() -> None:
    model = ImportanceModel(SPACE, "maximize")
    assert "importance needs at least 2" in model.compute().note
    trials = [(n, {**p, "optimizer": "adam"}, s, v) for n, p, s, v in _trials(MIN_TRIALS - 5)]
    model.add(trials)
    result = model.compute()
    assert "only 15 complete trials: read this as a hint" in result.note
    assert "never varied, so no importance here: optimizer" in result.note
    assert [name for name, _ in result.values] and "optimizer" not in dict(result.values)


def test_fanova_says_when_scikit_learn_is_missing() -> None:
    model = ImportanceModel(SPACE, "maximize")
    model.add(_trials(40))
    result = model.compute("fanova")
    try:
        import sklearn  # noqa: F401
    except ImportError:
        assert result.values == () and "fANOVA needs scikit-learn" in result.note
    else:
        assert result.values[0][0] == "learning_rate"
