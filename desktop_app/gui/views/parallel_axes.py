"""The axes of the parallel-coordinates view: each parameter on its own scale, mapped to [0, 1].

An :class:`AxisSpec` turns a parameter's values into a coordinate even on its scale (log10
for log, -log10(1 - v) for reverse_log so 0.999 sits above 0.99, the log2 exponent for
pow2, the index of a category),
and :func:`ticks` labels an internal range in user values (0.001, 0.99, 64, "adam"). The
space gives the scale and the searched range; without one (a study opened from a file) the
registry's recommended scale or the trials' values decide.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from desktop_app.core.search import REGISTRY, SCALES

CATEGORY = "category"


@dataclass(frozen=True)
class AxisSpec:
    """One parameter's axis: its scale (a scale name or "category"), categories, and the
    searched range in internal coordinates (None without a space)."""

    name: str
    scale: str
    categories: tuple[Any, ...] = ()
    searched: tuple[float, float] | None = None

    def internal(self, values: list[Any]) -> np.ndarray:
        """Each value's internal coordinate (NaN where the scale cannot place it)."""
        if self.scale == CATEGORY:
            index = {c: i for i, c in enumerate(self.categories)}
            return np.array([index.get(v, math.nan) if _hashable(v) else math.nan
                             for v in values], dtype=float)
        numbers = np.array([math.nan if v is None or isinstance(v, bool | str) else float(v)
                            for v in values], dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            if self.scale == "log":
                numbers = np.log10(np.where(numbers > 0, numbers, np.nan))
            elif self.scale == "reverse_log":  # -log10(1 - v): 0.999 above 0.99
                numbers = -np.log10(np.where(numbers < 1, 1.0 - numbers, np.nan))
            elif self.scale == "pow2":
                numbers = np.log2(np.where(numbers > 0, numbers, np.nan))
        return numbers

    def takes(self, values: list[Any]) -> bool:
        """False when a value is a category the axis lacks (the axes must be built anew)."""
        if self.scale != CATEGORY:
            return True
        return all(v is None or (_hashable(v) and v in self.categories) for v in values)

    def extent(self, column: np.ndarray) -> tuple[float, float]:
        """The internal range shown: the searched range joined with the values drawn."""
        if self.scale == CATEGORY:
            return 0.0, float(max(len(self.categories) - 1, 0))
        ends = list(self.searched or ())
        finite = column[np.isfinite(column)]
        if finite.size:
            ends += [float(finite.min()), float(finite.max())]
        return (min(ends), max(ends)) if ends else (0.0, 0.0)


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def axis_specs(space: Any, names: list[str], trials: list) -> list[AxisSpec]:
    """One axis per parameter ``names``, from the space or else from the trials' values."""
    specs = []
    for name in names:
        if space is not None and name in space:
            param = space[name]
            if param.values is not None:
                specs.append(AxisSpec(name, CATEGORY, tuple(param.values)))
            else:
                scaling = SCALES[str(param.scale)]
                specs.append(AxisSpec(name, scaling.name, (),
                                      _bounds(scaling.name, param.low, param.high)))
            continue
        raw = [t.params.get(name) for t in trials if name in t.params]
        if any(isinstance(v, bool | str) for v in raw) or not raw:
            cats = tuple(sorted({v for v in raw if _hashable(v)}, key=str))
            specs.append(AxisSpec(name, CATEGORY, cats))
            continue
        hp = REGISTRY.get(name)
        scale = hp.scales[0] if hp is not None and hp.scales else "linear"
        spec = AxisSpec(name, scale)
        if scale != "linear" and not np.isfinite(spec.internal(raw)).all():
            spec = AxisSpec(name, "linear")  # values the scale cannot show: stay linear
        specs.append(spec)
    return specs


def _bounds(scale: str, low: float, high: float) -> tuple[float, float] | None:
    try:
        first, last = SCALES[scale].internal_bounds(low, high)
    except (ValueError, ZeroDivisionError, TypeError):
        return None
    return (-last, -first) if scale == "reverse_log" else (first, last)


def ticks(spec_scale: str, low: float, high: float, categories: tuple[Any, ...] = (),
          most: int = 6) -> list[tuple[float, str]]:
    """(internal coordinate, label) of the ticks of a ``low..high`` axis on a scale, at
    most about ``most`` of them (every category of a categorical one)."""
    if spec_scale == CATEGORY:
        return [(float(i), str(c)) for i, c in enumerate(categories)]
    if not high - low > 1e-12:
        return [(low, _label(spec_scale, low))]
    if spec_scale == "log":
        found = _decades(low, high, most)
    elif spec_scale == "reverse_log":  # decades of 1 - v, whose internal is -log10(1 - v)
        found = sorted(-r for r in _decades(-high, -low, most))
    elif spec_scale == "pow2":
        first, last = math.ceil(low - 1e-9), math.floor(high + 1e-9)
        step = max(1, math.ceil((last - first + 1) / most))
        found = [float(e) for e in range(first, last + 1, step)]
    else:
        found = _linear(low, high, most)
    if len(found) < 2:
        found = sorted({low, high, *found})
    return [(r, _label(spec_scale, r)) for r in found]


def _label(scale: str, r: float) -> str:
    """The user value at internal coordinate ``r``, as a tick label."""
    if scale == "log":
        return SCALES["log"].tick_label(10.0**r)
    if scale == "reverse_log":
        return SCALES["reverse_log"].tick_label(10.0**-r)
    if scale == "pow2":
        return SCALES["pow2"].tick_label(2.0**r)
    return f"{r:.4g}"


def _decades(low: float, high: float, most: int) -> list[float]:
    """log10 ticks: decades, with 2 and 5 between when fewer than three decades show."""
    decades = range(math.floor(low), math.ceil(high) + 1)
    for mantissas in ((1, 2, 5), (1, 3), (1,)):
        found = [k + math.log10(m) for k in decades for m in mantissas]
        found = [r for r in found if low - 1e-9 <= r <= high + 1e-9]
        if len(found) <= most:
            return found
    step = math.ceil(len(found) / most)
    return found[::step]


def _linear(low: float, high: float, most: int) -> list[float]:
    """Round 1-2-5 steps over ``low..high``."""
    raw = (high - low) / max(most - 1, 1)
    magnitude = 10.0 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    first = math.ceil(low / step - 1e-9)
    last = math.floor(high / step + 1e-9)
    return [round(k * step, 12) for k in range(first, last + 1)]


def one_value_note(specs: list[AxisSpec], internal: np.ndarray) -> str:
    """Words naming the parameters (columns of ``internal``) that took the same value in
    every drawn trial, when at least two are drawn; empty when none did."""
    names = []
    for j, spec in enumerate(specs):
        finite = internal[:, j][np.isfinite(internal[:, j])]
        if finite.size >= 2 and finite.min() == finite.max():
            names.append(spec.name)
    return f"the same value in every trial: {', '.join(names)}" if names else ""
