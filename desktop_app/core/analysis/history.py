"""How a search progressed: best-so-far against trial number, and the empirical distribution
of final values (EDF) that compares searches (grid vs random vs TPE) at a glance."""

from __future__ import annotations

import numpy as np

from desktop_app.core.study import Direction


def best_so_far(values: np.ndarray, direction: Direction | str) -> np.ndarray:
    """The best value among ``values[: i + 1]`` at each ``i`` (NaN until a finite one came).

    ``values`` are the trials' values in trial-number order, NaN for trials that do not count
    (not complete, diverged, no value)."""
    values = np.asarray(values, dtype=float)
    worst = -np.inf if direction == Direction.MAXIMIZE else np.inf
    filled = np.where(np.isfinite(values), values, worst)
    best = (np.maximum if direction == Direction.MAXIMIZE else np.minimum).accumulate(filled) \
        if len(filled) else filled
    return np.where(np.isfinite(best), best, np.nan)


def edf(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(x, y)``: the finite values sorted, and the fraction of them at or below each (a step
    curve from 1/n to 1), as Optuna's ``plot_edf`` draws it."""
    finite = np.sort(np.asarray(values, dtype=float)[np.isfinite(values)])
    return finite, np.arange(1, len(finite) + 1) / max(len(finite), 1)
