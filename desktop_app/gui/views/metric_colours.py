"""Colours by the study metric, shared by the parallel-coordinates view and the map.

The metric is put on an axis of its own (linear, or log10 when every value is positive and
they span two decades or more, as losses do), and the colour follows the position on that
axis from worse to better, respecting the study's direction, in :data:`BINS` bins so that a
view draws one item per bin instead of one per trial. Better trials stand out: dark on a
light background, bright on a dark one (viridis, run the other way).
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor, QPalette

from desktop_app.core.study import Direction
from desktop_app.gui.views.formatting import format_metric

BINS = 12
"""Colour bins: one drawn item each."""
LOG_SPAN = 100.0
"""A positive metric whose max/min reaches this is drawn on a log axis."""


def is_dark(palette: QPalette) -> bool:
    """True when the plot background of ``palette`` is dark."""
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


class MetricColours:
    """The metric's axis (range, log or not) and its colour bins, fitted to some values."""

    def __init__(self) -> None:
        self.log = False
        self.low = 0.0
        self.high = 1.0
        self.direction = Direction.MINIMIZE
        self.dark = False
        self._cmap = pg.colormap.get("viridis")
        self.colors: list[QColor] = []
        self.set_dark(False)

    def set_dark(self, dark: bool) -> None:
        """Pick the bins' colours so better trials stand out on this background."""
        self.dark = dark
        stops = np.linspace(0.92, 0.0, BINS) if not dark else np.linspace(0.12, 1.0, BINS)
        self.colors = [self._cmap.map(float(t), mode="qcolor") for t in stops]

    def fit(self, values: np.ndarray, direction: str) -> None:
        """Fit the axis to the finite ``values`` (a NaN-free range even when none is)."""
        self.direction = Direction(direction)
        finite = values[np.isfinite(values)]
        self.log = bool(finite.size and finite.min() > 0
                        and finite.max() / finite.min() >= LOG_SPAN)
        coords = self.coordinate(finite)
        self.low, self.high = ((float(coords.min()), float(coords.max())) if coords.size
                               else (0.0, 1.0))

    def coordinate(self, values: np.ndarray) -> np.ndarray:
        """Values on the metric axis' own coordinate (log10 on a log axis)."""
        values = np.asarray(values, dtype=float)
        if not self.log:
            return values
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log10(values)

    def position(self, values: np.ndarray) -> np.ndarray:
        """Values on [0, 1], ascending (0.5 when every value is the same)."""
        coords = self.coordinate(values)
        span = self.high - self.low
        if span <= 0:
            return np.where(np.isfinite(coords), 0.5, np.nan)
        return (coords - self.low) / span

    def goodness(self, values: np.ndarray) -> np.ndarray:
        """Values on [0, 1] with 1 the better end (by the study's direction)."""
        position = np.clip(self.position(values), 0.0, 1.0)
        return position if self.direction is Direction.MAXIMIZE else 1.0 - position

    def bins(self, values: np.ndarray) -> np.ndarray:
        """The colour bin of each value, 0 the worst, BINS - 1 the best (-1 for NaN)."""
        good = self.goodness(values)
        found = np.full(good.shape, -1, dtype=int)
        finite = np.isfinite(good)
        found[finite] = np.minimum((good[finite] * BINS).astype(int), BINS - 1)
        return found

    def value_at(self, position: float) -> float:
        """The metric value at ``position`` on [0, 1] of the axis."""
        coord = self.low + position * (self.high - self.low)
        return 10.0**coord if self.log else coord

    def legend_html(self, metric: str) -> str:
        """``colour = metric: worse 3.40 [bar] 0.12 better`` in rich text."""
        bar = "".join(f'<span style="color:{c.name()}">&#9608;</span>' for c in self.colors)
        worse, better = self.value_at(1.0), self.value_at(0.0)
        if self.direction is Direction.MAXIMIZE:
            worse, better = better, worse
        return (f"colour = {metric}: worse {_fmt(metric, worse)} {bar} "
                f"{_fmt(metric, better)} better")


def _fmt(metric: str, value: float) -> str:
    return format_metric(metric, value) if math.isfinite(value) else "\u2013"
