"""The one module that owns the scales; previews, grids, samplers, Optuna and plots all use it.

Each scale maps a user value ``v`` to an internal coordinate ``r`` in which the scale is
uniform:

- ``linear``: r = v;
- ``log``: r = log10(v) (needs v > 0);
- ``reverse_log``: r = log10(1 - v), for values just below 1 such as momentum (0 <= v < 1);
- ``pow2``: r = log2(v), an integer exponent (values are powers of two).

Integer parameters on ``linear``/``log`` are rounded back to the nearest integer.

Every scale is one immutable object (a :class:`Scale` subclass, one instance each) that owns all
that depends on it: the transform, internal bounds, grid points and sampling, the checks of a
range, the Optuna distribution and values to and from Optuna, how it is drawn on a plot axis
and how a value is written for people. ``SCALES`` maps the config names (``scale = "log"``) to
them. Configs, study files and ``Param.scale`` keep the *name*; ``Param.scaling`` (or
:func:`scale_named`) gives the object, so nothing else branches on the name.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, ClassVar

import numpy as np
from optuna.distributions import BaseDistribution, FloatDistribution, IntDistribution

from desktop_app.core.errors import SpaceError


def pow2_exponents(low: int, high: int) -> tuple[int, int]:
    """The smallest and largest ``e`` with ``low <= 2**e <= high`` (first > second if none)."""
    return (max(int(low) - 1, 0)).bit_length(), int(high).bit_length() - 1


def _clip(values: list, low: float, high: float) -> list:
    return [min(max(v, low), high) for v in values]


class Scale:
    """How a range is spread out; subclasses are the scales, ``SCALES`` holds one of each.

    The base class is the linear behaviour; a subclass overrides what differs. Instances have
    no state, so they compare by identity and are safe to share.
    """

    __slots__ = ()

    name: ClassVar[str] = ""
    help: ClassVar[str] = ""
    """One line for people on what the scale does (the editor's tooltip)."""
    log_axis: ClassVar[bool] = False
    """Drawn on a log plot axis (pyqtgraph takes log10 of :meth:`to_plot`)."""
    plot_reversed: ClassVar[bool] = False
    """The plot axis runs high to low, so values still grow to the right (reverse_log)."""
    axis_note: ClassVar[str] = ""
    """Appended to the axis title, e.g. ``" (log scale)"``."""
    tick_base: ClassVar[int] = 10
    """Log-axis ticks sit on powers of this: 10 gives 1-2-5 steps, 2 gives 16, 32, 64."""

    def __repr__(self) -> str:
        return f"scale_named({self.name!r})"

    # -- transform ---------------------------------------------------------------------------

    def to_internal(self, v: float) -> float:
        """The internal coordinate of user value ``v``."""
        return float(v)

    def _value_at(self, r: float) -> float:
        return float(r)

    def from_internal(self, r: float, integer: bool = False) -> float | int:
        """The user value at internal coordinate ``r`` (rounded to an int when ``integer``)."""
        v = self._value_at(r)
        return round(v) if integer else v

    def internal_bounds(self, low: float, high: float) -> tuple[float, float]:
        """``(lo, hi)`` with lo < hi: the range ``[low, high]`` in internal coordinates."""
        a, b = self.to_internal(low), self.to_internal(high)
        return (min(a, b), max(a, b))

    # -- checks of a range (Param calls them around the hyperparameter's domain check) -------

    def check_defined(self, low: float, high: float, field: str) -> None:
        """Refuse a range the transform is not defined on (``SpaceError`` saying the fix)."""

    def check_not_empty(self, low: float, high: float, field: str) -> None:
        """Refuse a range that holds no value of the scale (``SpaceError`` saying the fix)."""

    # -- grid and sampling -------------------------------------------------------------------

    def grid_points(self, low: float, high: float, points: int, integer: bool) -> list:
        """``points`` values evenly spaced on the scale, ascending, ends exactly ``low``/``high``.

        Integer scales may give fewer points: rounding can make neighbours equal, and
        duplicates are dropped (pow2 over [16, 64] with 5 points is 16, 32, 64).
        """
        lo, hi = self.internal_bounds(low, high)
        coords = np.linspace(lo, hi, points)
        values = [self.from_internal(float(r), integer) for r in coords]
        values[0], values[-1] = (low, high) if self.to_internal(low) == lo else (high, low)
        if integer:
            values = [int(v) for v in values]
        return sorted(set(_clip(values, low, high)))

    def _sampling_bounds(self, low: float, high: float, integer: bool) -> tuple[float, float]:
        return self.internal_bounds(low, high)

    def sample(
        self, low: float, high: float, rng: np.random.Generator, n: int, integer: bool
    ) -> list:
        """``n`` values drawn uniformly on the scale (python scalars, inside ``[low, high]``)."""
        lo, hi = self._sampling_bounds(low, high, integer)
        coords = rng.uniform(lo, hi, size=n)
        values = [self.from_internal(float(r), integer) for r in coords]
        return _clip(values, low, high)

    # -- Optuna ------------------------------------------------------------------------------

    def distribution(self, low: Any, high: Any, integer: bool) -> BaseDistribution:
        """The Optuna distribution that samples ``[low, high]`` uniformly on this scale."""
        if integer:
            return IntDistribution(low, high, log=False)
        return FloatDistribution(low, high, log=False)

    def _from_optuna_number(self, x: float) -> float:
        return x

    def _to_optuna_number(self, v: float, dist: BaseDistribution) -> float:
        return v

    def from_optuna(self, value: Any, low: Any, high: Any, integer: bool) -> Any:
        """Optuna's value -> the user's value (a python scalar inside ``[low, high]``)."""
        if integer:
            return int(value)
        return min(max(self._from_optuna_number(float(value)), low), high)

    def to_optuna(self, value: Any, dist: BaseDistribution) -> float | int:
        """The user's ``value`` as Optuna's value of ``dist``, forced inside it.

        A value that is no number becomes the distribution's low end.
        """
        try:
            number = float(value)
        except (TypeError, ValueError, OverflowError):
            number = float(dist.low)
        number = self._to_optuna_number(number, dist)
        number = min(max(number, dist.low), dist.high)
        return round(number) if isinstance(dist, IntDistribution) else number

    # -- plots and people --------------------------------------------------------------------

    def to_plot(self, v: float) -> float:
        """The plot coordinate of ``v`` (on a log axis pyqtgraph then takes its log10)."""
        return float(v)

    def tick_label(self, x: float) -> str:
        """The tick text at plot coordinate ``x`` of a log axis, in the user's units."""
        return f"{x:.6g}"

    def colour_coordinates(self, values: np.ndarray) -> np.ndarray:
        """``values`` as an ascending coordinate in which the scale is even (for colour bars)."""
        return values

    def format_value(self, value: float) -> str:
        """A finite float for people, e.g. 3.2e-03 on log, 0.999 on reverse_log."""
        return f"{value:.3g}"


class LinearScale(Scale):
    """r = v: samples spread evenly between low and high."""

    __slots__ = ()
    name = "linear"
    help = "linear: samples spread evenly between low and high"

    def sample(
        self, low: float, high: float, rng: np.random.Generator, n: int, integer: bool
    ) -> list:
        """``n`` values drawn uniformly (every integer equally likely for int parameters)."""
        if integer:
            return [int(v) for v in rng.integers(int(low), int(high) + 1, size=n)]
        return super().sample(low, high, rng, n, integer)


class LogScale(Scale):
    """r = log10(v): every decade gets the same share."""

    __slots__ = ()
    name = "log"
    help = "log: every decade (1e-4..1e-3, 1e-3..1e-2, ...) gets the same share of samples"
    log_axis = True
    axis_note = " (log scale)"

    def to_internal(self, v: float) -> float:
        """log10(v)."""
        return math.log10(v)

    def _value_at(self, r: float) -> float:
        return 10.0**r

    def check_defined(self, low: float, high: float, field: str) -> None:
        """A log range needs low > 0."""
        if low <= 0:
            raise SpaceError(field, f"scale 'log' needs low > 0 (got {low:g})")

    def _sampling_bounds(self, low: float, high: float, integer: bool) -> tuple[float, float]:
        if integer:  # log-uniform over [low - 0.5, high + 0.5], then rounded (as Optuna)
            return math.log10(low - 0.5), math.log10(high + 0.5)
        return self.internal_bounds(low, high)

    def distribution(self, low: Any, high: Any, integer: bool) -> BaseDistribution:
        """Optuna's own log distribution (it samples log-uniformly)."""
        if integer:
            return IntDistribution(low, high, log=True)
        return FloatDistribution(low, high, log=True)

    def colour_coordinates(self, values: np.ndarray) -> np.ndarray:
        """log10 of the values (NaN/-inf where they are not positive)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log10(values)

    def format_value(self, value: float) -> str:
        """Two significant digits in e-notation: 3.2e-03."""
        return f"{value:.1e}"


class ReverseLogScale(Scale):
    """r = log10(1 - v): for values just below 1 (momentum, beta), 0.9..0.99 gets as many
    samples as 0.99..0.999."""

    __slots__ = ()
    name = "reverse_log"
    help = ("reverse_log: for values near 1 (momentum, beta): 0.9..0.99 gets as many samples "
            "as 0.99..0.999")
    log_axis = True
    plot_reversed = True
    axis_note = " (1 - value on a log scale)"

    def to_internal(self, v: float) -> float:
        """log10(1 - v)."""
        return math.log10(1.0 - v)

    def _value_at(self, r: float) -> float:
        return 1.0 - 10.0**r

    def check_defined(self, low: float, high: float, field: str) -> None:
        """A reverse-log range must lie in [0, 1)."""
        if not (low >= 0 and high < 1):
            raise SpaceError(field, f"scale 'reverse_log' needs 0 <= low < high < 1 "
                                    f"(got low {low:g}, high {high:g})")

    def distribution(self, low: Any, high: Any, integer: bool) -> BaseDistribution:
        """A log distribution over ``x = 1 - value``."""
        return FloatDistribution(1.0 - high, 1.0 - low, log=True)

    def _from_optuna_number(self, x: float) -> float:
        return 1.0 - x

    def _to_optuna_number(self, v: float, dist: BaseDistribution) -> float:
        return 1.0 - v

    def to_plot(self, v: float) -> float:
        """``1 - v``: drawn on a log axis, 0.9, 0.99, 0.999 are evenly apart."""
        return 1.0 - float(v)

    def tick_label(self, x: float) -> str:
        """The value ``1 - x`` at plot coordinate ``x``."""
        return f"{1 - x:.6g}"

    def colour_coordinates(self, values: np.ndarray) -> np.ndarray:
        """-log10(1 - v): grows with v."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return -np.log10(1.0 - values)

    def format_value(self, value: float) -> str:
        """As many decimals as the nines need: 0.999, 0.9999 (not 1)."""
        if 0 < 1 - value < 1:
            decimals = max(1, math.ceil(-math.log10(1 - value) - 1e-9) + 1)
            return f"{value:.{decimals}f}".rstrip("0")
        return super().format_value(value)


class Pow2Scale(Scale):
    """r = log2(v), an integer: powers of two only, each equally likely."""

    __slots__ = ()
    name = "pow2"
    help = "pow2: powers of two only (16, 32, 64, ...), each equally likely"
    log_axis = True
    axis_note = " (log scale)"
    tick_base = 2

    def to_internal(self, v: float) -> float:
        """log2(v)."""
        return math.log2(v)

    def from_internal(self, r: float, integer: bool = False) -> int:
        """``2**round(r)``, always an int."""
        return 2 ** round(r)

    def internal_bounds(self, low: float, high: float) -> tuple[float, float]:
        """The exponents of the smallest and largest power of two in the range."""
        return pow2_exponents(int(low), int(high))

    def check_not_empty(self, low: float, high: float, field: str) -> None:
        """The range must hold a power of two."""
        first, last = pow2_exponents(low, high)
        if first > last:
            raise SpaceError(field, f"scale 'pow2' found no power of two in [{low}, {high}]; "
                                    f"widen the range, e.g. low = {2 ** last}, high = {2 ** first}")

    def grid_points(self, low: float, high: float, points: int, integer: bool) -> list:
        """Powers of two evenly spaced in the exponent (fewer when exponents repeat)."""
        lo, hi = self.internal_bounds(low, high)
        values = [self.from_internal(float(r)) for r in np.linspace(lo, hi, points)]
        return sorted(set(_clip(values, low, high)))

    def sample(
        self, low: float, high: float, rng: np.random.Generator, n: int, integer: bool
    ) -> list:
        """``n`` powers of two, every exponent equally likely."""
        lo, hi = pow2_exponents(int(low), int(high))
        return [2 ** int(e) for e in rng.integers(lo, hi + 1, size=n)]

    def distribution(self, low: Any, high: Any, integer: bool) -> BaseDistribution:
        """An int distribution over the exponent ``e`` (value = 2**e)."""
        return IntDistribution(*pow2_exponents(low, high))

    def from_optuna(self, value: Any, low: Any, high: Any, integer: bool) -> int:
        """``2**e`` for Optuna's exponent ``e``."""
        return 2 ** int(value)

    def _to_optuna_number(self, v: float, dist: BaseDistribution) -> float:
        return self.to_internal(v) if v > 0 else dist.low

    def tick_label(self, x: float) -> str:
        """The power of two at ``x``, as an integer."""
        return f"{round(x):d}"

    def colour_coordinates(self, values: np.ndarray) -> np.ndarray:
        """log10 of the values (as log: only the spread matters)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log10(values)


SCALES: Mapping[str, Scale] = MappingProxyType(
    {scale.name: scale for scale in (LinearScale(), LogScale(), ReverseLogScale(), Pow2Scale())}
)
"""Every scale by its config name: linear, log, reverse_log, pow2 (read-only)."""


def scale_named(name: object) -> Scale:
    """The scale called ``name``; ``ValueError`` naming the valid ones if there is none."""
    if isinstance(name, str) and name in SCALES:
        return SCALES[name]
    raise ValueError(f"unknown scale {name!r}; valid: {', '.join(SCALES)}")
