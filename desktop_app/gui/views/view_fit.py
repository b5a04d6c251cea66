"""When the sweep scatter's (and the history's) view must move to take in its points, and by
how much.

Boxes are ``[x low, x high, y low, y high]`` in view coordinates (log10 on a log axis).
pyqtgraph's autorange would follow every running point and redraw both axes (~5 ms) each time.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg

from desktop_app.gui.views.param_axis import LOG_AXIS_SCALES

PAD_PIXELS = 14.0
"""Room at the view's edges for half a marker (the best star is 18 px) and a gap."""


def fit_view(view: pg.ViewBox, points: list[tuple[float, float]], axis: tuple[Any, ...],
             shown: list[float] | None, full: bool) -> list[float] | None:
    """Grow ``view`` (showing ``shown``) to take in ``points`` (x as handed to the items),
    padded; shrink it only when ``full`` (every point given) and far too loose. ``axis``:
    the x scale and its categories. Returns the box shown now."""
    if not points:
        return shown
    xy = np.array(points, dtype=float)
    scale = axis[0]
    x = np.log10(xy[:, 0]) if scale in LOG_AXIS_SCALES else xy[:, 0]
    box = [x.min(), x.max(), xy[:, 1].min(), xy[:, 1].max()]
    if scale == "category":
        box[:2] = [min(box[0], -0.5), max(box[1], len(axis[1]) - 0.5)]
    return fit_box(view, box, shown, full)


def fit_box(view: pg.ViewBox, box: list[float], shown: list[float] | None,
            full: bool) -> list[float]:
    """Grow ``view`` (showing ``shown``) to take in ``box`` (view coordinates), padded;
    shrink it only when ``full`` (``box`` holds every point) and far too loose. Returns the
    box shown now: the view moves only when a point leaves it, not with every new point."""
    if shown is not None and not full:
        box = [min(box[0], shown[0]), max(box[1], shown[1]),
               min(box[2], shown[2]), max(box[3], shown[3])]
    if shown is not None and inside(box, shown) and not (full and too_loose(box, shown)):
        return shown
    pixels = max(min(view.width(), view.height()), 100.0)
    shown = padded(box, 0.06 + PAD_PIXELS / pixels)  # 6 % plus half the best star
    view.setRange(xRange=shown[:2], yRange=shown[2:], padding=0)
    return shown


def inside(box: list[float], shown: list[float]) -> bool:
    """True when ``shown`` takes in all of ``box``."""
    return shown[0] <= box[0] and box[1] <= shown[1] and shown[2] <= box[2] and box[3] <= shown[3]


def too_loose(box: list[float], shown: list[float]) -> bool:
    """True when ``shown`` is more than twice as wide or tall as ``box`` needs."""
    needed = padded(box, 0.1)
    return (shown[1] - shown[0] > 2 * (needed[1] - needed[0])
            or shown[3] - shown[2] > 2 * (needed[3] - needed[2]))


def padded(box: list[float], fraction: float) -> list[float]:
    """``box`` grown by ``fraction`` of its size on each side (a point gets a small box)."""
    out: list[float] = []
    for low, high in ((box[0], box[1]), (box[2], box[3])):
        span = high - low or max(abs(high) * 0.1, 0.1)
        out += [low - fraction * span, high + fraction * span]
    return out
