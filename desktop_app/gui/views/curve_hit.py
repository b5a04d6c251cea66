"""Which loss curve passes under the mouse: the nearest within a few pixels."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF

HOVER_PIXELS = 8.0
"""A curve this close to the mouse is under it."""


def curve_under(view: pg.ViewBox, scene_pos: QPointF, lines: Iterable[tuple[int, np.ndarray]],
                log_y: bool) -> tuple[int, int, float] | None:
    """(trial number, epoch, value) of the curve among ``lines`` within
    :data:`HOVER_PIXELS` of scene point ``scene_pos`` in ``view``; None off the view."""
    if not view.sceneBoundingRect().contains(scene_pos):
        return None
    point = view.mapSceneToView(scene_pos)
    x_px, y_px = view.viewPixelSize()
    return nearest_curve(lines, point.x(), point.y(), x_px, y_px, log_y, HOVER_PIXELS)


def nearest_curve(lines: Iterable[tuple[int, np.ndarray]], x: float, y: float, x_px: float,
                  y_px: float, log_y: bool, within: float) -> tuple[int, int, float] | None:
    """(trial number, epoch, value) of the curve nearest to view point (x, y) if it passes
    within ``within`` pixels; ``lines`` are (number, per-epoch values) pairs, ``x_px`` and
    ``y_px`` the view's pixel size, ``log_y`` whether y is drawn as log10."""
    first = max(1, math.floor(x))
    best: tuple[float, int, int, float] | None = None
    for number, series in lines:
        ys = series[first - 1 : first + 1]
        if ys.size == 0:
            continue
        with np.errstate(divide="ignore", invalid="ignore"):
            shown = np.log10(ys) if log_y else ys
        dist = _pixel_distance(x, y, first, shown, x_px, y_px)
        if dist <= within and (best is None or dist < best[0]):
            epoch = first + int(ys.size > 1 and x - first > 0.5)
            best = (dist, number, epoch, float(series[epoch - 1]))
    return None if best is None else best[1:]


def _pixel_distance(
    x: float, y: float, x0: int, ys: np.ndarray, x_px: float, y_px: float
) -> float:
    """Pixel distance from (x, y) to the polyline through (x0, ys[0]), (x0 + 1, ys[1])."""
    px, py = x / x_px, y / y_px
    points = [(x0 + i, float(v)) for i, v in enumerate(ys) if math.isfinite(v)]
    if not points:
        return math.inf
    dists = [math.hypot(px - a / x_px, py - b / y_px) for a, b in points]
    if len(points) == 2:
        (ax, ay), (bx, by) = ((a / x_px, b / y_px) for a, b in points)
        dx, dy = bx - ax, by - ay
        t = min(1.0, max(0.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy or 1.0)))
        dists.append(math.hypot(px - ax - t * dx, py - ay - t * dy))
    return min(dists)
