"""Numbers for people, one way everywhere: the table, tooltips, the scatter and its legends."""

from __future__ import annotations

import math
from typing import Any

from desktop_app.core.search import SCALES

DASH = "\u2013"


def format_param(value: Any, scale: str | None) -> str:
    """A parameter value for people: 3.2e-03 on a log scale, 0.999 on reverse-log.

    ``scale`` is a scale name (or None, or the GUI's "category"); a known scale formats the
    number itself (:meth:`Scale.format_value`), anything else gets 3 significant digits.
    """
    if isinstance(value, bool | str) or value is None:
        return str(value)
    if isinstance(value, int):
        return str(value)
    value = float(value)
    if not math.isfinite(value):
        return DASH
    scaling = SCALES.get(scale) if scale is not None else None
    return scaling.format_value(value) if scaling is not None else f"{value:.3g}"


def format_metric(name: str, value: float) -> str:
    """A metric for people: accuracy as 0.953, a loss as 0.314 (or 1.23e+04 when huge)."""
    if math.isnan(value):
        return DASH
    if math.isinf(value):
        return "\u221e" if value > 0 else "-\u221e"
    if name.endswith("accuracy") or 1e-3 <= abs(value) < 1e4:
        return f"{value:.3f}"
    return f"{value:.2e}"


def format_seconds(value: float) -> str:
    """A training time for people: 0.044 under a second (a small trial takes tens of
    milliseconds, which one decimal shows as 0.0), 12.3 above."""
    if not math.isfinite(value):
        return DASH
    return f"{value:.2g}" if abs(value) < 1 else f"{value:.1f}"
