"""A strip plot of where a range's samples land on a LINEAR axis from low to high.

Drawn beside each ranged row of the search-space editor: 200 random samples (and the grid
points, for a grid) on a plain linear axis, so a learning rate from 1e-4 to 1e-1 on a linear
scale visibly wastes 90% of its samples above 0.01, and a log scale spreads them over every
decade; reverse_log does the same for beta near 1.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QSizePolicy

from desktop_app.core.search import Param
from desktop_app.gui.style.plot_style import style_plot

SAMPLES = 200
SAMPLE_COLOR = (43, 108, 176, 110)
GRID_COLOR = (232, 145, 45, 255)


class ScalePreview(pg.PlotWidget):
    """Where ``SAMPLES`` seeded samples (and grid points) of a :class:`Param` fall."""

    def __init__(self, parent: object = None) -> None:
        super().__init__(parent)
        self.setFixedHeight(46)
        self.setMinimumWidth(120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        item = self.getPlotItem()
        item.hideAxis("left")
        axis = item.getAxis("bottom")
        axis.setHeight(18)
        axis.enableAutoSIPrefix(False)
        axis.setStyle(tickTextOffset=1, tickLength=-4)
        item.layout.setContentsMargins(2, 2, 6, 0)
        self.setYRange(-0.1, 1.1, padding=0)
        style_plot(self, self.palette())
        self._samples = self.plot([], [], pen=None, symbol="o", symbolSize=4,
                                  symbolPen=None, symbolBrush=pg.mkBrush(*SAMPLE_COLOR))
        self._grid = self.plot([], [], pen=None, symbol="d", symbolSize=9,
                               symbolPen=pg.mkPen(80, 50, 0), symbolBrush=pg.mkBrush(*GRID_COLOR))
        self.setToolTip(
            "Where 200 random samples (blue dots) and, for grid search, the grid points (orange "
            "diamonds) land between low and high, drawn on a plain linear axis. Bunched-up dots "
            "mean most trials try similar values: that is what a log scale is for."
        )
        self.show_param(None)

    def changeEvent(self, event: QEvent) -> None:
        """Follow the light/dark palette."""
        if event.type() == QEvent.Type.PaletteChange and getattr(self, "_grid", None):
            style_plot(self, self.palette())
        super().changeEvent(event)

    def show_param(self, param: Param | None, grid: bool = False) -> None:
        """Draw ``param`` (None or a list of values clears the plot)."""
        if param is None or not param.is_ranged:
            self._samples.setData([], [])
            self._grid.setData([], [])
            return
        rng = np.random.default_rng(0)
        xs = np.asarray(param.sample(rng, SAMPLES), dtype=float)
        ys = rng.uniform(0.05, 0.95, size=xs.size)
        self._samples.setData(xs, ys)
        if grid:
            points = np.asarray(param.grid(), dtype=float)
            self._grid.setData(points, np.full(points.size, 0.5))
        else:
            self._grid.setData([], [])
        low, high = float(param.low), float(param.high)
        pad = (high - low) * 0.04
        self.setXRange(low - pad, high + pad, padding=0)

    def sample_positions(self) -> np.ndarray:
        """The x positions drawn (for tests)."""
        xs, _ = self._samples.getData()
        return np.asarray(xs if xs is not None else [], dtype=float)

    def grid_positions(self) -> np.ndarray:
        """The grid points drawn (for tests)."""
        xs, _ = self._grid.getData()
        return np.asarray(xs if xs is not None else [], dtype=float)
