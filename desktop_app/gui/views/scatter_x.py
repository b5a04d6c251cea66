"""The sweep scatter's x axis: which parameter, on which scale, and each trial's x on it.

x is drawn on a log axis for log and pow2 parameters, as ``1 - value`` on a log axis for
reverse-log ones (ticks read 0.9, 0.99, ...), and as a jittered strip for categorical ones.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg

from desktop_app.core.search import SCALES
from desktop_app.gui.views.param_axis import (
    LOG_AXIS_SCALES,
    ParamAxis,
    axis_scale,
    categories_of,
    searched_range,
    to_plot_x,
)


class ScatterX:
    """The parameter on the x axis, its scale and (categorical) values."""

    def __init__(self, plot_item: pg.PlotItem, axis: ParamAxis) -> None:
        self._plot, self._axis = plot_item, axis
        self.name: str | None = None
        self.scale = "linear"
        self.categories: tuple[Any, ...] = ()

    @property
    def is_log(self) -> bool:
        """True when the axis is logarithmic (items are given x, pyqtgraph's draw log10)."""
        return self.scale in LOG_AXIS_SCALES

    def forget(self) -> None:
        """A new study: the next :meth:`show` sets the axis up again."""
        self.name = None

    def show(self, space: Any, name: str, raw: list[Any]) -> bool:
        """Put ``name`` on the axis, on its scale for these values; True when the axis
        changed (the view must be fitted anew)."""
        scale = axis_scale(space, name, raw)
        cats = categories_of(space, name, raw) if scale == "category" else ()
        if (self.name, self.scale, self.categories) == (name, scale, cats):
            return False
        self.name, self.scale, self.categories = name, scale, cats
        scaling = SCALES.get(scale)  # None for the "category" axis
        self._plot.setLogMode(x=self.is_log)
        self._plot.getViewBox().invertX(scaling is not None and scaling.plot_reversed)
        self._axis.set_scale(scale, tuple(str(c) for c in cats))
        self._plot.setLabel("bottom", name + (scaling.axis_note if scaling else ""))
        ends = searched_range(space, name, scale)
        if ends is not None:  # before any point: an empty plot already reads right
            self._plot.getViewBox().setXRange(*ends, padding=0.06)
        return True

    def takes(self, raw: list[Any]) -> bool:
        """False when a value is a category the axis does not have (show it again)."""
        return self.scale != "category" or all(v is None or v in self.categories for v in raw)

    def plot_x(self, raw: list[Any], numbers: list[int]) -> np.ndarray:
        """x of each trial as handed to the items (NaN where a log axis cannot show it)."""
        xs = np.array([to_plot_x(self.scale, v, self.categories, n)
                       for v, n in zip(raw, numbers, strict=True)], dtype=float)
        if self.is_log and xs.size:
            with np.errstate(invalid="ignore"):
                xs[~(xs > 0)] = np.nan
        return xs
