"""Numpy helpers of the parallel-coordinates view: many polylines as one NaN-broken array, the
line nearest a click, the trials a set of brushes keeps, and brush ranges to and from an
axis' [0, 1]."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor

from desktop_app.gui.views.metric_colours import MetricColours


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


def range_from01(extent: tuple[float, float] | None, colours: MetricColours, low01: float,
                 high01: float) -> tuple[float, float]:
    """A kept range on [0, 1] of an axis in internal coordinates (``extent`` None: the
    metric axis of ``colours``)."""
    if extent is None:
        return tuple(sorted((colours.value_at(low01), colours.value_at(high01))))
    low, high = extent
    if not high - low > 1e-12:  # one value, drawn at 0.5
        return (low - 1.0, high + 1.0) if low01 <= 0.5 <= high01 else (np.inf, np.inf)
    return low + low01 * (high - low), low + high01 * (high - low)


def range_to01(extent: tuple[float, float] | None, colours: MetricColours, low: float,
               high: float) -> tuple[float, float]:
    """The inverse of :func:`range_from01`: an internal range onto [0, 1] of the axis."""
    if extent is None:
        ends = colours.position(np.array([low, high]))
    elif not extent[1] - extent[0] > 1e-12:
        ends = np.array([0.45, 0.55] if np.isfinite(low) else [0.0, 0.0])
    else:
        ends = normalise(np.array([low, high]), *extent)
    return float(ends.min()), float(ends.max())


class LineFeed:
    """Gives line items new polylines only when they changed, so an item whose lines a frame
    leaves alone keeps its cached paint (a finishing trial redraws its colour bin only)."""

    def __init__(self) -> None:
        self._last: dict[int, tuple[int | None, np.ndarray, np.ndarray]] = {}

    def __call__(self, line: pg.PlotDataItem, x: np.ndarray, y: np.ndarray,
                 color: QColor | None = None) -> None:
        """Show polylines (x, y) in ``line``, in ``color`` when given."""
        rgba = None if color is None else color.rgba()
        old = self._last.get(id(line))
        if (old is not None and old[0] == rgba and old[1].shape == x.shape
                and np.array_equal(old[2], y, equal_nan=True)):
            return
        self._last[id(line)] = (rgba, x, y)
        if color is not None:
            line.setPen(pg.mkPen(color, width=1))
        line.setData(x, y, connect="finite")
