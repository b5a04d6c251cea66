"""Dataset and Split: the arrays a trial trains on. Rows are examples."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, eq=False)
class Dataset:
    """A whole labelled dataset: X float64 (m, n), y int64 (m,) with values 0..K-1.

    ``class_names[k]`` names label k; ``feature_names`` has one entry per column of X.
    The arrays are read-only: loaded datasets are cached and shared.
    """

    name: str
    X: np.ndarray
    y: np.ndarray
    class_names: tuple[str, ...]
    feature_names: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Split:
    """A stratified train/validation split, standardised with the training part's statistics.

    Arrays are float64 (X, unless ``load_split`` was asked for another dtype) / int64 (y) and
    read-only; ``n_classes == len(class_names)``.
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    n_features: int
    n_classes: int
    class_names: tuple[str, ...]
    name: str


def frozen(array: np.ndarray) -> np.ndarray:
    """``array`` marked read-only, so a cached dataset cannot be changed by one caller."""
    array.setflags(write=False)
    return array
