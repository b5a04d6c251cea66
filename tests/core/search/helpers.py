"""Shared fixtures of the strategy tests: a space over every scale and trial drivers."""

from __future__ import annotations

import math

from desktop_app.core.search import Strategy, build_space, make_strategy
from desktop_app.core.study.records import TrialState

SPACE = build_space({
    "learning_rate": {"scale": "log", "low": 1e-4, "high": 1.0},
    "momentum": {"scale": "reverse_log", "low": 0.9, "high": 0.999},
    "batch_size": {"scale": "pow2", "low": 16, "high": 512},
    "hidden_units": {"scale": "log", "low": 8, "high": 300},
    "hidden_layers": {"scale": "linear", "low": 1, "high": 4},
    "dropout": {"scale": "linear", "low": 0.0, "high": 0.5},
    "optimizer": {"values": ["sgd", "adam"]},
    "batch_norm": {"values": [True, False]},
})

GOOD = [0.5, 0.7, 0.8, 0.85, 0.9]
BAD = [0.1, 0.1, 0.12, 0.12, 0.13]


def objective(params: dict) -> float:
    """A deterministic score with its best at learning_rate 1e-2."""
    return -abs(math.log10(params.get("learning_rate", 1e-2)) + 2) + params.get("dropout", 0.0)


def run(strategy: Strategy, n: int) -> list[dict]:
    """Ask/report/tell ``n`` trials in sequence; returns the params asked."""
    asked = []
    for _ in range(n):
        suggestion = strategy.ask()
        if suggestion is None:
            break
        asked.append(suggestion.params)
        strategy.report(suggestion.key, 1, objective(suggestion.params))
        strategy.tell(suggestion.key, TrialState.COMPLETE, objective(suggestion.params))
    return asked


def make(kind: str, seed: int = 7, **kwargs) -> Strategy:
    """A strategy over SPACE (maximize, 10 epochs unless told otherwise)."""
    kwargs.setdefault("direction", "maximize")
    kwargs.setdefault("max_epochs", 10)
    return make_strategy(SPACE, kind, seed=seed, **kwargs)


def feed(strategy: Strategy, curve: list[float]) -> tuple[int, bool]:
    """Run one trial along ``curve``; returns (epochs run, pruned)."""
    suggestion = strategy.ask()
    for epoch, value in enumerate(curve, start=1):
        if strategy.report(suggestion.key, epoch, value):
            strategy.tell(suggestion.key, TrialState.PRUNED)
            return epoch, True
    strategy.tell(suggestion.key, TrialState.COMPLETE, curve[-1])
    return len(curve), False
