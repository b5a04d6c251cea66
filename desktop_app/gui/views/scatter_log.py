"""The sweep scatter's log value axis, on request: a "log" check box beside the y selector.

A log axis cannot show a value <= 0, so the box is disabled (its tooltip says which trial
holds such a value) as long as one is drawn; it stays as the user left it and applies again
once every value shown is above 0. The finished points (bare ``ScatterPlotItem``\\ s that
ignore the plot's log mode) are handed log10(y) by the scatter (:meth:`ScatterLogY.view_y`);
the marker items are PlotDataItems, which follow the plot's log mode themselves.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QCheckBox

from desktop_app.gui.views.param_axis import ParamAxis

TIP = ("Logarithmic value axis: values spread over several decades (losses of 0.01 .. 10) "
       "become readable")


class ScatterLogY:
    """The check box (``box``) and whether the y axis is logarithmic now (``on``)."""

    def __init__(self, plot_item: pg.PlotItem, axis: ParamAxis) -> None:
        self._plot, self._axis = plot_item, axis
        self.on = False
        self.box = QCheckBox("log")  # beside the y selector: "y: [val_loss] [x] log"
        self.box.setToolTip(TIP)

    def reset(self, values: dict[int, float]) -> bool:
        """Every trial's finite value (a full redraw): allow the log axis when all are above
        0 and apply the box. True when the axis changed (fit the view anew)."""
        low = min(values.items(), key=lambda item: item[1], default=None)
        self._allow(low)
        return self._apply()

    def see(self, numbers: Iterable[int], ys: np.ndarray) -> bool:
        """More values drawn (``ys`` of trials ``numbers``): True when one is <= 0 while the
        axis is logarithmic, so everything must be redrawn on a linear axis."""
        bad = np.flatnonzero(ys <= 0)
        if not bad.size:
            return False
        number = list(numbers)[int(bad[0])]
        self._allow((number, float(ys[bad[0]])))
        return self.on

    def view_y(self, ys: np.ndarray) -> np.ndarray:
        """``ys`` as the finished points' items take them (log10 on the log axis)."""
        if not self.on:
            return ys
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log10(ys)

    def _allow(self, low: tuple[int, float] | None) -> None:
        """Enable the box unless ``low`` (trial, its lowest value) is <= 0; say why not."""
        ok = low is None or low[1] > 0
        self.box.setEnabled(ok)
        self.box.setToolTip(TIP if ok else (
            f"A log axis cannot show values of 0 or below: trial {low[0]} has "
            f"{low[1]:.4g}. Pick another metric, or use the linear axis"))

    def _apply(self) -> bool:
        on = self.box.isChecked() and self.box.isEnabled()
        if on == self.on:
            return False
        self.on = on
        self._axis.set_scale("log" if on else "linear")
        self._plot.setLogMode(y=on)
        return True


def log_points(points: list[tuple[float, float]], on: bool) -> list[tuple[float, float]]:
    """(x, y) points with y in view coordinates (log10 of y on the log axis, where points
    at or below 0 are left out)."""
    if not on:
        return points
    return [(x, math.log10(y)) for x, y in points if y > 0]
