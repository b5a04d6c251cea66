"""The one module that owns the scale transforms; previews, grids and samplers all use it.

Each scale maps a user value ``v`` to an internal coordinate ``r`` in which the scale is
uniform:

- ``linear``: r = v;
- ``log``: r = log10(v) (needs v > 0);
- ``reverse_log``: r = log10(1 - v), for values just below 1 such as momentum (0 <= v < 1);
- ``pow2``: r = log2(v), an integer exponent (values are powers of two).

Integer parameters on ``linear``/``log`` are rounded back to the nearest integer.
"""

from __future__ import annotations

import math

import numpy as np

SCALES = ("linear", "log", "reverse_log", "pow2")


def to_internal(scale: str, v: float) -> float:
    """The internal coordinate of user value ``v``."""
    if scale == "linear":
        return float(v)
    if scale == "log":
        return math.log10(v)
    if scale == "reverse_log":
        return math.log10(1.0 - v)
    if scale == "pow2":
        return math.log2(v)
    raise ValueError(f"unknown scale {scale!r}")


def from_internal(scale: str, r: float, integer: bool = False) -> float | int:
    """The user value at internal coordinate ``r`` (rounded to an int when ``integer``)."""
    if scale == "pow2":
        return 2 ** round(r)
    if scale == "linear":
        v = float(r)
    elif scale == "log":
        v = 10.0**r
    elif scale == "reverse_log":
        v = 1.0 - 10.0**r
    else:
        raise ValueError(f"unknown scale {scale!r}")
    return round(v) if integer else v


def pow2_exponents(low: int, high: int) -> tuple[int, int]:
    """The smallest and largest ``e`` with ``low <= 2**e <= high`` (first > second if none)."""
    return (max(int(low) - 1, 0)).bit_length(), int(high).bit_length() - 1


def internal_bounds(scale: str, low: float, high: float) -> tuple[float, float]:
    """``(lo, hi)`` with lo < hi: the range ``[low, high]`` in internal coordinates."""
    if scale == "pow2":
        return pow2_exponents(int(low), int(high))
    a, b = to_internal(scale, low), to_internal(scale, high)
    return (min(a, b), max(a, b))


def _clip(values: list, low: float, high: float) -> list:
    return [min(max(v, low), high) for v in values]


def grid_points(scale: str, low: float, high: float, points: int, integer: bool) -> list:
    """``points`` values evenly spaced on the scale, ascending, ends exactly ``low``/``high``.

    Integer scales may give fewer points: rounding can make neighbours equal, and duplicates are
    dropped (pow2 over [16, 64] with 5 points is 16, 32, 64).
    """
    lo, hi = internal_bounds(scale, low, high)
    coords = np.linspace(lo, hi, points)
    values = [from_internal(scale, float(r), integer) for r in coords]
    if scale != "pow2":
        values[0], values[-1] = (low, high) if to_internal(scale, low) == lo else (high, low)
        if integer:
            values = [int(v) for v in values]
    return sorted(set(_clip(values, low, high)))


def sample(
    scale: str, low: float, high: float, rng: np.random.Generator, n: int, integer: bool
) -> list:
    """``n`` values drawn uniformly on the scale (python scalars, inside ``[low, high]``)."""
    if scale == "pow2":
        lo, hi = pow2_exponents(int(low), int(high))
        return [2 ** int(e) for e in rng.integers(lo, hi + 1, size=n)]
    if integer and scale == "linear":
        return [int(v) for v in rng.integers(int(low), int(high) + 1, size=n)]
    if integer:  # int log: log-uniform over [low - 0.5, high + 0.5], then rounded (as Optuna)
        lo, hi = math.log10(low - 0.5), math.log10(high + 0.5)
    else:
        lo, hi = internal_bounds(scale, low, high)
    coords = rng.uniform(lo, hi, size=n)
    values = [from_internal(scale, float(r), integer) for r in coords]
    return _clip(values, low, high)
