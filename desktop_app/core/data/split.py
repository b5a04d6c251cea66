"""Seeded stratified train/validation split and standardisation fitted on the training part."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from desktop_app.core.data.dataset import Dataset, Split, frozen


def _allocate(counts: np.ndarray, n_val: int) -> np.ndarray:
    """Validation rows per class: proportional (largest remainder), leaving each class >= 1
    training row. Both parts then hold every class's share to within one row."""
    quota = counts * n_val / counts.sum()
    take = np.minimum(np.floor(quota).astype(np.int64), counts - 1)
    order = np.argsort(-(quota - take), kind="stable")
    left = n_val - int(take.sum())
    for k in order:
        if left == 0:
            break
        if take[k] < counts[k] - 1:
            take[k] += 1
            left -= 1
    return take


def stratified_indices(y: np.ndarray, fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Sorted row indices (train, validation): about ``fraction`` of each class validates."""
    rng = np.random.default_rng([seed, 1])  # stream 1: the split (generation uses stream 0)
    classes, counts = np.unique(y, return_counts=True)
    n_val = max(1, round(fraction * len(y)))
    val = []
    for label, take in zip(classes, _allocate(counts, n_val), strict=True):
        rows = np.flatnonzero(y == label)
        val.append(rng.permutation(rows)[:take])
    val_idx = np.sort(np.concatenate(val))
    train_idx = np.setdiff1d(np.arange(len(y)), val_idx)
    return train_idx, val_idx


def _statistics(X_train: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The training part's mean and standard deviation (1 where a feature is constant)."""
    mean = X_train.mean(axis=0)
    scale = X_train.std(axis=0)
    scale[np.ptp(X_train, axis=0) == 0] = 1.0
    return mean, scale


def standardise(X_train: np.ndarray, X_val: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Both parts centred and scaled with the training part's mean and standard deviation.

    A feature constant over the training rows is only centred (divided by 1, not 0).
    """
    mean, scale = _statistics(X_train)
    return (X_train - mean) / scale, (X_val - mean) / scale


def make_split(dataset: Dataset, fraction: float, seed: int) -> Split:
    """The stratified, standardised split of ``dataset`` (arrays read-only).

    Each part is standardised in place in its own fresh copy (taking the rows made it), so a
    big set costs the two parts plus one temporary of the training part (``std``), no more.
    """
    train_idx, val_idx = stratified_indices(dataset.y, fraction, seed)
    X_train, X_val = dataset.X[train_idx], dataset.X[val_idx]
    mean, scale = _statistics(X_train)
    for part in (X_train, X_val):
        part -= mean
        part /= scale
    return Split(
        X_train=frozen(X_train), y_train=frozen(dataset.y[train_idx]),
        X_val=frozen(X_val), y_val=frozen(dataset.y[val_idx]),
        n_features=dataset.X.shape[1], n_classes=len(dataset.class_names),
        class_names=dataset.class_names, name=dataset.name,
    )


def cast(split: Split, dtype: str) -> Split:
    """``split`` with its feature arrays converted to ``dtype`` (e.g. "float32" for training)."""
    return replace(split, X_train=frozen(split.X_train.astype(dtype)),
                   X_val=frozen(split.X_val.astype(dtype)))
