"""Which diverged trials the sweep scatter draws as 'off the chart', and where.

A diverged trial's loss can be 1e6 while every other trial sits between 0.1 and 2: plotted
as is, it squeezes all the useful points onto one line. Such points are drawn instead as
triangles just above the highest trial that behaved (their real value is in the tooltip).
"""

from __future__ import annotations

import math

OUTLIER_SPANS = 1.0
"""A diverged value more than this many spans of the other values above them is clipped."""
ABOVE_SPANS = 0.08
"""Where clipped points are drawn: this fraction of the span above the highest other value."""


def off_chart(values: dict[int, float], diverged: set[int]) -> tuple[set[int], float]:
    """The diverged trials among ``values`` (trial -> finite metric) to clip, and the y to
    draw them at; (empty set, nan) when nothing needs clipping or nothing behaved."""
    sane = [v for n, v in values.items() if n not in diverged]
    return _clip(sane, {n: values[n] for n in diverged if n in values})


def _clip(sane: list[float], diverged: dict[int, float]) -> tuple[set[int], float]:
    """:func:`off_chart` from the sane values (their ends suffice) and the diverged ones."""
    if not sane:
        return set(), math.nan
    low, high = min(sane), max(sane)
    span = high - low or max(abs(high) * 0.1, 0.1)
    limit = high + OUTLIER_SPANS * span
    clipped = {n for n, v in diverged.items() if v > limit}
    return clipped, (high + ABOVE_SPANS * span) if clipped else math.nan


class OffChart:
    """:func:`off_chart` kept up to date as finished trials arrive."""

    def __init__(self) -> None:
        self.clipped: set[int] = set()
        self.y = math.nan
        self._diverged: dict[int, float] = {}
        self._sane: list[float] = []

    def reset(self, values: dict[int, float], diverged: set[int]) -> None:
        """Start over from every trial's finite value (``values``) and the diverged ones."""
        self._diverged = {n: v for n, v in values.items() if n in diverged}
        sane = [v for n, v in values.items() if n not in diverged]
        self._sane = [min(sane), max(sane)] if sane else []
        self.clipped, self.y = _clip(self._sane, self._diverged)

    def add(self, number: int, value: float, diverged: bool) -> set[int]:
        """Count one more finished trial with a finite ``value``; the other trials that
        moved on or off the chart because of it (to redraw)."""
        if diverged:
            self._diverged[number] = value
        else:
            self._sane = [min([value, *self._sane]), max([value, *self._sane])]
        before = self.clipped
        self.clipped, self.y = _clip(self._sane, self._diverged)
        return (self.clipped ^ before) - {number}
