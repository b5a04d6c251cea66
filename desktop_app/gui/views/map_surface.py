"""The map's optional surface: a coarse grid behind the points, each cell coloured by the mean
metric of the points falling in it (empty cells stay transparent)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF

from desktop_app.gui.views.map_axes import LOG2
from desktop_app.gui.views.metric_colours import BINS, MetricColours
from desktop_app.gui.views.parallel_axes import CATEGORY, AxisSpec

CELLS = 20
"""Cells along a ranged axis (a list of values gets one cell per value)."""
ALPHA = 120


def surface(xs: np.ndarray, ys: np.ndarray, values: np.ndarray, x_cells: tuple[float, float, int],
            y_cells: tuple[float, float, int], colours: MetricColours
            ) -> tuple[np.ndarray, QRectF]:
    """An RGBA image (x-major, as ``ImageItem`` takes it) of the mean metric per cell, and
    the rectangle it covers in view coordinates. ``*_cells`` are (low, high, count)."""
    (x0, x1, nx), (y0, y1, ny) = x_cells, y_cells
    image = np.zeros((nx, ny, 4), dtype=np.ubyte)
    ok = np.isfinite(xs) & np.isfinite(ys) & np.isfinite(values)
    if ok.any() and x1 > x0 and y1 > y0:
        ix = np.clip(((xs[ok] - x0) / (x1 - x0) * nx).astype(int), 0, nx - 1)
        iy = np.clip(((ys[ok] - y0) / (y1 - y0) * ny).astype(int), 0, ny - 1)
        cell = ix * ny + iy
        sums = np.bincount(cell, weights=values[ok], minlength=nx * ny)
        counts = np.bincount(cell, minlength=nx * ny)
        filled = counts > 0
        means = np.full(nx * ny, np.nan)
        means[filled] = sums[filled] / counts[filled]
        bins = colours.bins(means)
        table = np.array([[c.red(), c.green(), c.blue(), ALPHA] for c in colours.colors]
                         + [[0, 0, 0, 0]], dtype=np.ubyte)
        image = table[np.where(bins < 0, BINS, bins)].reshape(nx, ny, 4)
    return image, QRectF(x0, y0, x1 - x0, y1 - y0)


def surface_cells(spec: AxisSpec, span: tuple[float, float]) -> tuple[float, float, int]:
    """(low, high, count) of the cells along an axis of ``spec`` showing ``span``: one per
    category, one per power of two, else :data:`CELLS` over the span."""
    if spec.scale == CATEGORY:
        return -0.5, len(spec.categories) - 0.5, max(len(spec.categories), 1)
    if spec.scale == "pow2" and spec.searched:
        first, last = spec.searched
        return (first - 0.5) * LOG2, (last + 0.5) * LOG2, int(last - first) + 1
    return span[0], span[1], CELLS
