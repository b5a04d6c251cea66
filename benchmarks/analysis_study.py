"""A synthetic study for the analysis-view benchmarks: finished trials over six parameters,
one of each kind of axis (log, reverse_log, pow2, a linear integer, linear, a list of values),
their val_loss lowest near learning rate 1e-2, beta_2 0.99, batch size 64 and adam."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from desktop_app.core.events import TrialFinished, TrialStarted
from desktop_app.core.search import SearchSpace, build_space
from desktop_app.gui.live.study_model import StudyModel

PARAMS: dict[str, dict[str, Any]] = {
    "learning_rate": {"scale": "log", "low": 1e-4, "high": 1.0},
    "beta_2": {"scale": "reverse_log", "low": 0.9, "high": 0.9999},
    "batch_size": {"scale": "pow2", "low": 16, "high": 512},
    "hidden_layers": {"scale": "linear", "low": 1, "high": 4},
    "lr_decay": {"scale": "linear", "low": 0.0, "high": 1.0},
    "optimizer": {"values": ["sgd", "momentum", "rmsprop", "adam"]},
}
OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")


def space() -> SearchSpace:
    """The six-parameter search space."""
    return build_space(PARAMS)


def trial_events(count: int, start: int = 0, seed: int = 0) -> list[Any]:
    """``count`` finished trials numbered from ``start`` (started, then complete)."""
    rng = np.random.default_rng(seed + start)
    lr = 10 ** rng.uniform(-4, 0, count)
    beta = 1 - 10 ** rng.uniform(-4, -1, count)
    batch = 2 ** rng.integers(4, 10, count)
    layers = rng.integers(1, 5, count)
    decay = rng.uniform(0, 1, count)
    opt = rng.integers(0, 4, count)
    loss = (0.2 + 0.3 * (np.log10(lr) + 2) ** 2 + 0.2 * np.abs(np.log10(1 - beta) + 2)
            + 0.05 * np.abs(np.log2(batch) - 6) + 0.02 * layers + 0.1 * decay
            + np.where(opt == 3, 0.0, 0.15) + rng.normal(0, 0.03, count))
    events: list[Any] = []
    for i in range(count):
        number = start + i
        params = {"learning_rate": float(lr[i]), "beta_2": float(beta[i]),
                  "batch_size": int(batch[i]), "hidden_layers": int(layers[i]),
                  "lr_decay": float(decay[i]), "optimizer": OPTIMIZERS[int(opt[i])]}
        value = float(loss[i])
        events.append(TrialStarted("bench", number, params, seed=number))
        events.append(TrialFinished("bench", number, "complete", value, 1, 0.1,
                                    metrics={"val_loss": value}))
    return events


def study_model(count: int, seed: int = 0) -> StudyModel:
    """A StudyModel of ``count`` finished trials over :data:`PARAMS` (minimise val_loss)."""
    model = StudyModel()
    model.set_study(space(), "val_loss", "minimize")
    model.apply_many(trial_events(count, seed=seed))
    return model


def importance_trials(model: StudyModel, numbers: range | None = None) -> list[tuple]:
    """``(number, params, state, value)`` snapshots as the importance view hands them over."""
    chosen = model.trials() if numbers is None else [model.trial(n) for n in numbers]
    return [(t.number, dict(t.params), t.state.value, model.value(t.number)) for t in chosen
            if math.isfinite(model.value(t.number))]
