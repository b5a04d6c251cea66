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
    if not sane:
        return set(), math.nan
    low, high = min(sane), max(sane)
    span = high - low or max(abs(high) * 0.1, 0.1)
    limit = high + OUTLIER_SPANS * span
    clipped = {n for n in diverged if n in values and values[n] > limit}
    return clipped, (high + ABOVE_SPANS * span) if clipped else math.nan
