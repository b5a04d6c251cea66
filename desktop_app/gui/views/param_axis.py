"""Where a hyperparameter's values land on a plot axis, and an axis labelled in its units.

Log and pow2 parameters are drawn on pyqtgraph's log axis (ticks 0.001, 0.01 or 16, 32, 64
instead of 10^-3); reverse-log parameters are drawn as ``1 - value`` on a log axis whose ticks
read 0.9, 0.99, 0.999; categorical ones get one tick per category. The scale objects of
:mod:`desktop_app.core.search.scales` say how (``log_axis``, ``to_plot``, ``tick_label``...);
this module only adds the GUI's own ``"category"`` pseudo-scale, and takes scale *names*.
"""

from __future__ import annotations

import math
from typing import Any

import pyqtgraph as pg
from PySide6.QtGui import QFontMetricsF

from desktop_app.core.search import SCALES, Scale

LOG_AXIS_SCALES = tuple(name for name, scale in SCALES.items() if scale.log_axis)
"""Names of the scales drawn on a log axis (log, reverse_log, pow2)."""
JITTER = 0.5
"""Width of a categorical strip, in category units."""
LABEL_GAP = 14
"""Pixels kept free between two tick labels."""


def axis_scale(space: Any, name: str, values: list[Any]) -> str:
    """How parameter ``name`` is drawn: its range scale, its natural scale, or category."""
    if space is not None and name in space:
        param = space[name]
        if param.is_ranged:
            return str(param.scale)
        hp = param.hyperparameter
        return "category" if hp.kind == "choice" else str(hp.scales[0])
    if any(isinstance(v, bool | str) for v in values):
        return "category"
    return "linear"


def categories_of(space: Any, name: str, values: list[Any]) -> tuple[Any, ...]:
    """The categories of a categorical parameter, in the space's order."""
    if space is not None and name in space and space[name].values is not None:
        return tuple(space[name].values)
    return tuple(sorted(set(values), key=str))


def jitter(number: int) -> float:
    """A stable offset in [-JITTER/2, JITTER/2) so points of one category spread out."""
    return ((number * 0.6180339887) % 1.0 - 0.5) * JITTER


def to_plot_x(scale: str, value: Any, categories: tuple[Any, ...], number: int) -> float:
    """The x coordinate handed to the item (pyqtgraph takes log10 itself on a log axis)."""
    if scale == "category":
        return categories.index(value) + jitter(number) if value in categories else math.nan
    if value is None or isinstance(value, bool | str):
        return math.nan
    scaling = SCALES.get(scale)
    return scaling.to_plot(float(value)) if scaling is not None else float(value)


def searched_range(space: Any, name: str, scale: str) -> tuple[float, float] | None:
    """Parameter ``name``'s low..high as view coordinates of its axis (log10 on a log
    axis), ascending; None for a categorical or unknown parameter."""
    if space is None or name not in space or not space[name].is_ranged:
        return None
    return view_span(scale, space[name].low, space[name].high)


def view_span(scale: str, low: float, high: float) -> tuple[float, float] | None:
    """Values ``low..high`` as view coordinates of a ``scale`` axis (log10 on a log axis),
    ascending; None when an end cannot be drawn there."""
    ends = [to_plot_x(scale, v, (), 0) for v in (low, high)]
    if scale in LOG_AXIS_SCALES:
        ends = [math.log10(v) if v > 0 else math.nan for v in ends]
    if not all(math.isfinite(v) for v in ends):
        return None
    low, high = sorted(ends)
    return low, high


class ParamAxis(pg.AxisItem):
    """An axis whose ticks name parameter values (or losses, on the loss curves' log
    axis); ``set_scale`` picks how."""

    def __init__(self, orientation: str = "bottom", **kwargs: Any) -> None:
        super().__init__(orientation, **kwargs)
        self._scale = "linear"
        self._scaling: Scale | None = SCALES["linear"]

    @property
    def param_scale(self) -> str:
        """linear, log, pow2, reverse_log or category."""
        return self._scale

    def set_scale(self, scale: str, categories: tuple[str, ...] = ()) -> None:
        """Label ticks for ``scale``; ``categories`` name the integer ticks 0, 1, ..."""
        self._scale = scale
        self._scaling = SCALES.get(scale)
        if scale == "category":
            self.setTicks([list(enumerate(categories))])
        else:
            self.setTicks(None)
        self.picture = None
        self.update()

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list:
        """Powers of two for pow2 parameters (and the steps between, 24, 32, 48, when fewer
        than two powers are in view); pyqtgraph's defaults otherwise."""
        log_scale = self._log_scale()
        if not self.logMode or log_scale is None or log_scale.tick_base == 10:
            return super().tickValues(minVal, maxVal, size)
        low, high = sorted((minVal, maxVal))
        unit = math.log10(log_scale.tick_base)
        first = math.ceil(low / unit - 1e-9)
        last = math.floor(high / unit + 1e-9)
        values: list[float] = []
        for step in range(1, max(2, last - first + 1)):
            values = [k * unit for k in range(first, last + 1, step)]
            if self.labels_fit(values, size):
                break
        if len(values) < 2:  # fewer than two powers in view: 24, 32, 48 (1.5 times too)
            values = [k * unit + math.log10(m) for k in range(first - 1, last + 1)
                      for m in (1, 1.5)]
            values = [v for v in values if low - 1e-9 <= v <= high + 1e-9]
            if len(values) < 2 or not self.labels_fit(values, size):
                values = self._narrow_ticks(low, high, size) or values
        return [(None, values)]

    def logTickValues(self, minVal: float, maxVal: float, size: float, stdTicks: list) -> list:
        """One labelled level: 1-2-5 steps (0.001, 0.002, 0.005; reverse-log 0.9, 0.95,
        0.98), thinned to decades, then to every n-th decade, until the labels fit. A range
        too narrow for two of them gets every 1..9 step, or else evenly spaced values
        (0.0045, 0.005, 0.0055), so a log axis never shows a single label."""
        log_scale = self._log_scale()
        if log_scale is None or log_scale.tick_base != 10:
            return super().logTickValues(minVal, maxVal, size, stdTicks)
        low, high = sorted((minVal, maxVal))
        values = self._decade_ticks(low, high, size)
        if len(values) < 2:
            values = self._narrow_ticks(low, high, size) or values
        if not values:
            return super().logTickValues(minVal, maxVal, size, stdTicks)
        return [(None, values)]

    def _decade_ticks(self, low: float, high: float, size: float) -> list[float]:
        decades = range(math.floor(low), math.ceil(high) + 1)
        for mantissas in ((1, 2, 5), (1, 3), (1,)):
            values = _log_steps(decades, mantissas, low, high)
            if self.labels_fit(values, size):
                return values
        thinned = values
        for step in range(2, max(3, len(values))):
            thinned = values[::step]
            if self.labels_fit(thinned, size):
                break
        return thinned

    def _narrow_ticks(self, low: float, high: float, size: float) -> list[float]:
        """At least two labels inside a range of (log10) ``low..high`` narrower than 1-2-5
        steps: the 1..9 steps when two fit, else the finest even steps of the values whose
        labels fit, else the first and last of the coarsest such steps; [] when none fit."""
        decades = range(math.floor(low), math.ceil(high) + 1)
        values = _log_steps(decades, range(1, 10), low, high)
        if len(values) >= 2 and self.labels_fit(values, size):
            return values
        first, last = 10**low, 10**high
        magnitude = 10.0 ** math.floor(math.log10(last - first))
        coarsest: list[float] = []
        for step in (m * magnitude / 100 for m in (1, 2, 5, 10, 20, 50, 100)):
            start = math.ceil(first / step - 1e-9)
            count = math.floor(last / step + 1e-9) - start + 1
            if count < 2:
                break
            coarsest = [math.log10((start + k) * step) for k in range(count)]
            if self._readable(coarsest, size):
                return coarsest
        ends = coarsest[:: max(len(coarsest) - 1, 1)]
        return ends if self._readable(ends, size) else []

    def _readable(self, values: list[float], size: float) -> bool:
        """The labels of ``values`` fit and differ (pow2 labels are rounded to integers)."""
        distinct = len(set(self.tickStrings(values, 1.0, 1.0))) == len(values)
        return distinct and self.labels_fit(values, size)

    def labels_fit(self, values: list[float], size: float) -> bool:
        """True when the tick labels of ``values`` fit side by side on ``size`` pixels
        (measured in the axis font, each with a gap), so they never overlap."""
        if len(values) <= 1:
            return True
        metrics = QFontMetricsF(self.style.get("tickFont") or self.font())
        if self.orientation in ("left", "right"):  # labels stack: their height counts
            extent = metrics.height()
        else:
            extent = max(metrics.horizontalAdvance(t)
                         for t in self.tickStrings(values, 1.0, 1.0))
        return len(values) * (extent + LABEL_GAP) <= size

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        """Tick text in the parameter's units (values arrive as log10 on a log axis)."""
        log_scale = self._log_scale()
        if not self.logMode or log_scale is None:
            return super().tickStrings(values, scale, spacing)
        return [log_scale.tick_label(10**v) for v in values]

    def _log_scale(self) -> Scale | None:
        """The axis' scale when that scale is drawn on a log axis, else None."""
        scaling = self._scaling
        return scaling if scaling is not None and scaling.log_axis else None


def _log_steps(decades: range, mantissas: Any, low: float, high: float) -> list[float]:
    """log10 of ``m * 10**k`` for every decade ``k`` and mantissa ``m``, within low..high."""
    values = [k + math.log10(m) for k in decades for m in mantissas]
    return [v for v in values if low - 1e-9 <= v <= high + 1e-9]
