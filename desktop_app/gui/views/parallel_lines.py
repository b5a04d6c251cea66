"""Numpy helpers of the parallel-coordinates view: many polylines as one NaN-broken array, the
line nearest a click, and the trials a set of brushes keeps."""

from __future__ import annotations

import numpy as np


def normalise(column: np.ndarray, low: float, high: float) -> np.ndarray:
    """Internal coordinates ``low..high`` onto [0, 1] (0.5 everywhere for a single value)."""
    if not high - low > 1e-12:
        return np.where(np.isfinite(column), 0.5, np.nan)
    return (column - low) / (high - low)


def polylines(positions: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """x and y of the polylines of ``positions[rows]`` (one row per trial, one column per
    axis at x = 0, 1, ...), each followed by a NaN so ``connect="finite"`` breaks them."""
    count, axes = len(rows), positions.shape[1]
    x = np.empty((count, axes + 1))
    x[:, :axes] = np.arange(axes, dtype=float)
    x[:, axes] = np.nan
    y = np.empty((count, axes + 1))
    y[:, :axes] = positions[rows]
    y[:, axes] = np.nan
    return x.ravel(), y.ravel()


def line_heights(positions: np.ndarray, x: float) -> np.ndarray:
    """Each polyline's height at ``x`` (between two axes: on the segment joining them)."""
    axes = positions.shape[1]
    if axes == 1:
        return positions[:, 0].copy()
    left = int(np.clip(np.floor(x), 0, axes - 2))
    t = float(np.clip(x - left, 0.0, 1.0))
    return positions[:, left] * (1.0 - t) + positions[:, left + 1] * t


def nearest_line(positions: np.ndarray, x: float, y: float, tolerance: float,
                 prefer: np.ndarray | None = None) -> int:
    """The row of the polyline passing nearest (x, y) within ``tolerance`` (in y), among
    the ``prefer`` rows first when any of them is near enough; -1 when none is."""
    if not len(positions):
        return -1
    distance = np.abs(line_heights(positions, x) - y)
    distance[~np.isfinite(distance)] = np.inf
    for mask in ((prefer,) if prefer is not None else ()) + (None,):
        pool = distance if mask is None else np.where(mask, distance, np.inf)
        row = int(np.argmin(pool))
        if pool[row] <= tolerance:
            return row
    return -1


def kept_mask(internal: np.ndarray, ranges: dict[int, tuple[float, float]]) -> np.ndarray:
    """True for the rows inside every ``column -> (low, high)`` range (all rows when none)."""
    keep = np.ones(len(internal), dtype=bool)
    with np.errstate(invalid="ignore"):
        for column, (low, high) in ranges.items():
            values = internal[:, column]
            keep &= (values >= low) & (values <= high)
    return keep
