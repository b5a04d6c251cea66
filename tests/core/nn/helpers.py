"""Small data sets for the engine tests (the spiral is generated here; Iris and digits come
from scikit-learn, test-only)."""

from __future__ import annotations

import numpy as np


def spiral(n_per_class: int = 200, classes: int = 3, noise: float = 0.2,
           seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The CS231n spiral: ``classes`` interleaved arms in 2-D."""
    rng = np.random.default_rng(seed)
    r = np.linspace(0.0, 1.0, n_per_class)
    xs, ys = [], []
    for k in range(classes):
        t = np.linspace(4.0 * k, 4.0 * (k + 1), n_per_class)
        t += noise * rng.standard_normal(n_per_class)
        xs.append(np.column_stack([r * np.sin(t), r * np.cos(t)]))
        ys.append(np.full(n_per_class, k))
    return np.vstack(xs), np.concatenate(ys)


def split_standardised(X: np.ndarray, y: np.ndarray, fraction: float = 0.2,
                       seed: int = 0) -> tuple[np.ndarray, ...]:
    """Seeded stratified train/validation split, standardised on the training part only."""
    rng = np.random.default_rng(seed)
    val = np.zeros(len(y), dtype=bool)
    for k in np.unique(y):
        idx = rng.permutation(np.flatnonzero(y == k))
        val[idx[: round(fraction * len(idx))]] = True
    mean, std = X[~val].mean(axis=0), X[~val].std(axis=0)
    std[std == 0] = 1.0
    scale = lambda a: (a - mean) / std  # noqa: E731
    return scale(X[~val]), y[~val], scale(X[val]), y[val]
