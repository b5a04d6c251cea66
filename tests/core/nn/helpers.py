"""Small data sets for the engine tests, from Caviar's own data package."""

from __future__ import annotations

import numpy as np

from desktop_app.core.data import DataSpec, load_dataset, load_split


def spiral(n_per_class: int = 200, classes: int = 3, noise: float = 0.2,
           seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The CS231n spiral: ``classes`` interleaved arms in 2-D."""
    data = load_dataset(DataSpec("spiral", samples=n_per_class * classes, classes=classes,
                                 noise=noise, seed=seed))
    return data.X, data.y


def builtin_split(name: str, seed: int = 0) -> tuple[np.ndarray, ...]:
    """A built-in set's stratified split, standardised on its training part."""
    split = load_split(DataSpec(name, validation_fraction=0.2, seed=seed))
    return split.X_train, split.y_train, split.X_val, split.y_val
