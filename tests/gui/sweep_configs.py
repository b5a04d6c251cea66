"""Small sweep configs shared by the GUI tests (the window's own defaults are slower)."""

from __future__ import annotations

from typing import Any

from desktop_app.core.config import StudyConfig, parse_config


def raw_config(trials: int = 4, epochs: int = 3, workers: int = 2, name: str = "gui-test",
               executor: str = "thread") -> dict[str, Any]:
    """A random search on a small spiral: ``trials`` x ``epochs`` in well under a second each."""
    return {
        "study": {"name": name, "strategy": "random", "trials": trials, "workers": workers,
                  "executor": executor, "seed": 1, "metric": "val_accuracy"},
        "data": {"dataset": "spiral", "samples": 150, "classes": 3},
        "train": {"epochs": epochs, "hidden_units": 16, "hidden_layers": 1},
        "params": {"learning_rate": {"scale": "log", "low": 1e-3, "high": 1e-1},
                   "batch_size": {"scale": "pow2", "low": 16, "high": 64}},
    }


def config(**kwargs: Any) -> StudyConfig:
    """:func:`raw_config` parsed by the core."""
    return parse_config(raw_config(**kwargs))
