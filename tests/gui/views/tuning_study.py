"""A study model over the four kinds of axes (log, reverse_log, pow2, a list of values) with
synthetic finished trials, for the parallel-coordinates and map tests."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from desktop_app.core.events import TrialFinished, TrialStarted
from desktop_app.core.search import build_space
from desktop_app.gui.live.study_model import StudyModel

SPACE = {
    "learning_rate": {"scale": "log", "low": 1e-4, "high": 1e-1},
    "momentum": {"scale": "reverse_log", "low": 0.9, "high": 0.999},
    "batch_size": {"scale": "pow2", "low": 16, "high": 256},
    "optimizer": {"values": ["sgd", "rmsprop", "adam"]},
}


def tuning_model(space: dict[str, Any] | None = None, direction: str = "minimize") -> StudyModel:
    """An empty model of a study over ``space`` (default :data:`SPACE`) on val_loss."""
    model = StudyModel()
    model.set_study(build_space(space or SPACE), "val_loss", direction)
    return model


def add_trial(model: StudyModel, number: int, params: dict[str, Any], value: float,
              state: str = "complete") -> None:
    """Trial ``number`` with ``params`` finishes in ``state`` with val_loss ``value``."""
    model.apply(TrialStarted("s", number, params, seed=number))
    if state != "running":
        model.apply(TrialFinished("s", number, state, value, 1, 0.1,
                                  metrics={"val_loss": value}))


def random_trials(model: StudyModel, count: int, seed: int = 0, start: int = 0) -> None:
    """``count`` finished trials sampled over :data:`SPACE`; val_loss is lowest near
    learning_rate 1e-2, momentum 0.99, batch size 64 and adam (one batch of events)."""
    rng = np.random.default_rng(seed)
    events: list[Any] = []
    optimizers = ("sgd", "rmsprop", "adam")
    for number in range(start, start + count):
        lr = 10 ** rng.uniform(-4, -1)
        momentum = 1 - 10 ** rng.uniform(-3, -1)
        batch = int(2 ** rng.integers(4, 9))
        opt = optimizers[int(rng.integers(0, 3))]
        loss = (0.2 + 0.3 * (math.log10(lr) + 2) ** 2 + 0.2 * abs(math.log10(1 - momentum) + 2)
                + 0.05 * abs(math.log2(batch) - 6) + (0.0 if opt == "adam" else 0.15)
                + float(rng.normal(0, 0.03)))
        params = {"learning_rate": lr, "momentum": momentum, "batch_size": batch,
                  "optimizer": opt}
        events.append(TrialStarted("s", number, params, seed=number))
        events.append(TrialFinished("s", number, "complete", loss, 1, 0.1,
                                    metrics={"val_loss": loss}))
    model.apply_many(events)
