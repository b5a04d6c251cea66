"""The map's two axes: a parameter on each, on its own scale, as the sweep scatter draws x.

Points are bare ``ScatterPlotItem``\\ s given *view* coordinates: log10(v) on a log axis,
log10(1 - v) for reverse_log (the axis is inverted so values still grow right/up), log10(v)
for pow2, the category index plus a stable jitter for a list of values. The plot's log mode
is set only so that :class:`ParamAxis` labels the ticks in the parameter's units.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg

from desktop_app.core.search import SCALES
from desktop_app.gui.views.parallel_axes import CATEGORY, AxisSpec
from desktop_app.gui.views.param_axis import JITTER, LOG_AXIS_SCALES, ParamAxis

LOG2 = math.log10(2.0)


def to_view(spec: AxisSpec, internal: np.ndarray, numbers: np.ndarray) -> np.ndarray:
    """View coordinates of internal ones (see :class:`~.parallel_axes.AxisSpec`)."""
    internal = np.asarray(internal, dtype=float)
    if spec.scale == CATEGORY:
        offsets = ((np.asarray(numbers, dtype=float) * 0.6180339887) % 1.0 - 0.5) * JITTER
        return internal + offsets
    if spec.scale == "reverse_log":
        return -internal
    if spec.scale == "pow2":
        return internal * LOG2
    return internal


class MapAxis:
    """One side of the map (``"bottom"`` or ``"left"``): its parameter, scale and range."""

    def __init__(self, plot_item: pg.PlotItem, axis: ParamAxis, side: str) -> None:
        self._plot, self._axis, self._side = plot_item, axis, side
        self.spec: AxisSpec | None = None

    def show(self, spec: AxisSpec) -> bool:
        """Put ``spec``'s parameter on this side; True when the axis changed."""
        if spec == self.spec:
            return False
        self.spec = spec
        scaling = SCALES.get(spec.scale)
        log = spec.scale in LOG_AXIS_SCALES
        view = self._plot.getViewBox()
        if self._side == "bottom":
            self._plot.setLogMode(x=log)
            view.invertX(scaling is not None and scaling.plot_reversed)
        else:
            self._plot.setLogMode(y=log)
            view.invertY(scaling is not None and scaling.plot_reversed)
        self._axis.set_scale(spec.scale, tuple(str(c) for c in spec.categories))
        self._plot.setLabel(self._side, spec.name + (scaling.axis_note if scaling else ""))
        return True

    def span(self, coords: np.ndarray) -> tuple[float, float]:
        """The view range to show: the searched range joined with the points, padded a
        little (half a category either side on a list of values)."""
        spec = self.spec
        if spec is None:
            return 0.0, 1.0
        if spec.scale == CATEGORY:
            return -0.5, max(len(spec.categories), 1) - 0.5
        ends = list(to_view(spec, np.array(spec.searched), np.zeros(2))) if spec.searched else []
        finite = coords[np.isfinite(coords)]
        if finite.size:
            ends += [float(finite.min()), float(finite.max())]
        if not ends:
            return 0.0, 1.0
        low, high = min(ends), max(ends)
        pad = 0.05 * (high - low) if high > low else max(abs(low) * 0.1, 0.5)
        return low - pad, high + pad
