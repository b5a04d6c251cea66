"""A strip plot of where a range's samples land, on the parameter's own scale.

Drawn under each ranged row of the search-space editor: 200 random samples (blue, and the
grid points, for a grid) on an axis of the row's scale — a log axis for a learning rate, a
``1 - value`` log axis for beta near 1 — where a well-chosen scale spreads them evenly. Below
them, in grey, the same number of samples drawn uniformly on a linear scale crowd into the
last decade: the course's point at a glance, with the caption saying how many
(:func:`preview_caption`: "a linear scale would put 90% of them in [0.1, 1]").
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QSizePolicy

from desktop_app.core.search import Param, Scale
from desktop_app.gui.style.plot_style import style_plot
from desktop_app.gui.views.param_axis import ParamAxis, to_plot_x, view_span

SAMPLES = 200
SAMPLE_COLOR = (43, 108, 176, 120)
LINEAR_COLOR = (128, 128, 128, 110)
GRID_COLOR = (232, 145, 45, 255)
EDGE = 16
"""Pixels left and right of the axis, so the labels at its ends are not clipped."""
ROWS = {"own": (0.55, 0.95), "linear": (0.05, 0.42), "alone": (0.05, 0.95)}
"""y bands of the strip: own-scale samples above the linear comparison, or alone."""


def linear_share(scaling: Scale, low: float, high: float) -> tuple[float, float, float] | None:
    """Where uniform sampling on a linear scale crowds in ``low..high``: the stretch of one
    unit of ``scaling`` at either end (a decade on log, an octave on pow2) holding the larger
    share of such samples, as ``(share, a, b)``; None for a range under one unit."""
    lo, hi = scaling.internal_bounds(low, high)
    if hi - lo < 1 or high <= low:
        return None
    found: tuple[float, float, float] | None = None
    for start, end in ((hi - 1, hi), (lo, lo + 1)):
        a, b = sorted(float(scaling.from_internal(r)) for r in (start, end))
        share = (b - a) / (high - low)
        if found is None or share > found[0]:
            found = (share, a, b)
    return found


def preview_caption(param: Param | None, grid: bool = False) -> str:
    """The line over the preview: what the dots are, on which axis, and what a linear scale
    would do instead."""
    orange = " (orange: the grid)" if grid else ""
    scaling = param.scaling if param is not None and param.is_ranged else None
    if scaling is None or not scaling.log_axis:
        return f"where {SAMPLES} random trials land{orange}:"
    what = f"blue: {SAMPLES} random trials, {scaling.axis_note.strip(' ()')}{orange}"
    share = linear_share(scaling, float(param.low), float(param.high))
    if share is None:
        return what + ":"
    return (f"{what}; grey: a linear scale would put {share[0]:.0%} of them in "
            f"[{share[1]:g}, {share[2]:g}]:")


class ScalePreview(pg.PlotWidget):
    """Where ``SAMPLES`` seeded samples (and grid points) of a :class:`Param` fall, on its
    own scale, over the same number drawn uniformly on a linear scale."""

    def __init__(self, parent: object = None) -> None:
        axis = ParamAxis("bottom")
        super().__init__(parent, axisItems={"bottom": axis})
        self._axis = axis
        self._drawn: dict[str, np.ndarray] = {}
        self.setFixedHeight(56)
        self.setMinimumWidth(120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        item = self.getPlotItem()
        item.hideAxis("left")
        self._axis.setHeight(18)
        self._axis.setStyle(tickTextOffset=1, tickLength=-4, hideOverlappingLabels=EDGE)
        item.layout.setContentsMargins(EDGE, 2, EDGE, 0)  # room for the end labels
        self.setYRange(0.0, 1.0, padding=0)
        style_plot(self, self.palette())
        self._linear = self.plot([], [], pen=None, symbol="o", symbolSize=4, symbolPen=None,
                                 symbolBrush=pg.mkBrush(*LINEAR_COLOR))
        self._samples = self.plot([], [], pen=None, symbol="o", symbolSize=4,
                                  symbolPen=None, symbolBrush=pg.mkBrush(*SAMPLE_COLOR))
        self._grid = self.plot([], [], pen=None, symbol="d", symbolSize=9,
                               symbolPen=pg.mkPen(80, 50, 0), symbolBrush=pg.mkBrush(*GRID_COLOR))
        self.setToolTip(
            "Where 200 random samples (blue dots) and, for grid search, the grid points (orange "
            "diamonds) land between low and high, on the axis of the chosen scale: a good "
            "scale spreads them evenly. Grey dots: 200 samples drawn uniformly on a linear "
            "scale instead, bunched at one end; that is what a log scale avoids."
        )
        self.show_param(None)

    def changeEvent(self, event: QEvent) -> None:
        """Follow the light/dark palette."""
        if event.type() == QEvent.Type.PaletteChange and getattr(self, "_grid", None):
            style_plot(self, self.palette())
        super().changeEvent(event)

    def show_param(self, param: Param | None, grid: bool = False) -> None:
        """Draw ``param`` (None or a list of values clears the plot)."""
        scaling = param.scaling if param is not None else None
        span = view_span(param.scale, param.low, param.high) if scaling is not None else None
        if param is None or scaling is None or span is None:
            self._drawn = {}
            for item in (self._samples, self._linear, self._grid):
                item.setData([], [])
            return
        self._set_axis(str(param.scale), scaling)
        rng = np.random.default_rng(0)
        compare = scaling.log_axis
        own = ROWS["own" if compare else "alone"]
        linear = rng.uniform(float(param.low), float(param.high), SAMPLES) if compare else ()
        self._drawn = {"samples": np.asarray(param.sample(rng, SAMPLES), dtype=float),
                       "linear": np.asarray(linear, dtype=float),
                       "grid": np.asarray(param.grid() if grid else (), dtype=float)}
        for key, item, band in (("samples", self._samples, own),
                                ("linear", self._linear, ROWS["linear"]),
                                ("grid", self._grid, (sum(own) / 2,) * 2)):
            values = self._drawn[key]
            item.setData([to_plot_x(str(param.scale), v, (), 0) for v in values],
                         rng.uniform(*band, size=values.size))
        pad = (span[1] - span[0]) * 0.04 or 0.5
        self.setXRange(span[0] - pad, span[1] + pad, padding=0)

    def _set_axis(self, scale: str, scaling: Scale) -> None:
        if self._axis.param_scale == scale:
            return
        self._axis.set_scale(scale)
        self.setLogMode(x=scaling.log_axis)
        self.getPlotItem().getViewBox().invertX(scaling.plot_reversed)

    def sample_positions(self) -> np.ndarray:
        """The sampled values drawn in blue (the parameter's own values)."""
        return self._drawn.get("samples", np.empty(0))

    def linear_positions(self) -> np.ndarray:
        """The values drawn in grey: uniform on a linear scale, for comparison."""
        return self._drawn.get("linear", np.empty(0))

    def grid_positions(self) -> np.ndarray:
        """The grid points drawn (the parameter's own values)."""
        return self._drawn.get("grid", np.empty(0))
