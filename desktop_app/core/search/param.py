"""``Param``: one searched hyperparameter, a range on a scale or a list of values.

It validates when built and raises ``SpaceError(field="params.<name>")`` whose text says the fix,
so a bad config never reaches a sampler.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from desktop_app.core.errors import SpaceError
from desktop_app.core.search.registry import (
    REGISTRY,
    HyperParameter,
    as_number,
    lookup,
    own_hyperparameter,
)
from desktop_app.core.search.scales import SCALES, Scale

MAX_POINTS = 100_000
"""Grid points of one parameter are capped like the whole grid (see ``space.MAX_GRID``)."""


@dataclass(frozen=True, init=False)
class Param:
    """A searched hyperparameter: ``low``/``high`` on ``scale`` (grid ``points``), or ``values``.

    ``scale`` defaults to the registry's recommended scale and stays its name (as in the TOML
    and study files); :attr:`scaling` is the :class:`Scale` object that does the work.
    ``values`` is stored as a tuple of values of the parameter's type. Frozen and hashable.
    With ``own`` (a trainer of the user's own), a name outside the registry is a hyperparameter
    of the user's, its kind read from the values (``registry.own_hyperparameter``).
    """

    name: str
    low: Any
    high: Any
    scale: str | None
    values: tuple[Any, ...] | None
    points: int
    hyperparameter: HyperParameter = field(compare=False, repr=False)

    def __init__(
        self,
        name: str,
        low: Any = None,
        high: Any = None,
        scale: str | None = None,
        values: Sequence[Any] | None = None,
        points: int = 3,
        own: bool = False,
    ) -> None:
        field = f"params.{name}"
        if own and isinstance(name, str) and name not in REGISTRY:
            hp = own_hyperparameter(name, low, high, values, scale, field)
            scale = "linear" if scale is None and values is None else scale
        else:
            hp = lookup(name, field)
        points = _check_points(points, field)
        if values is not None:
            if low is not None or high is not None or scale is not None:
                raise SpaceError(
                    field, "give either values or a range (scale, low, high), not both"
                )
            checked = _check_values(hp, values, field)
            low = high = scale = None
            points = 3  # a grid runs every value; points only spaces out ranges
        else:
            checked = None
            scale, low, high = _check_range(hp, scale, low, high, field)
        for attr, value in (("name", name), ("low", low), ("high", high), ("scale", scale),
                            ("values", checked), ("points", points), ("hyperparameter", hp)):
            object.__setattr__(self, attr, value)

    @property
    def is_own(self) -> bool:
        """True for a hyperparameter of the user's own (not in Caviar's registry)."""
        return self.name not in REGISTRY

    @property
    def scaling(self) -> Scale | None:
        """The scale object that ``scale`` names (None for a list of values)."""
        return None if self.scale is None else SCALES[self.scale]

    @property
    def is_ranged(self) -> bool:
        """True for a range on a scale, False for a list of values."""
        return self.values is None

    @property
    def is_integer(self) -> bool:
        """True when the values are ints (batch size, units, layers, epochs)."""
        return self.hyperparameter.kind == "int"

    def sample(self, rng: np.random.Generator, n: int) -> list[Any]:
        """``n`` values drawn uniformly on the scale (or uniformly among ``values``)."""
        scaling = self.scaling
        if scaling is None:
            return [self.values[int(i)] for i in rng.integers(0, len(self.values), size=n)]
        return scaling.sample(self.low, self.high, rng, n, self.is_integer)

    def grid(self) -> tuple[Any, ...]:
        """The grid values: ``points`` evenly spaced on the scale, or every value."""
        scaling = self.scaling
        if scaling is None:
            return self.values
        return tuple(scaling.grid_points(self.low, self.high, self.points, self.is_integer))

    def to_dict(self) -> dict[str, Any]:
        """The TOML table of this parameter (``build_space`` reads it back)."""
        if self.values is not None:
            return {"values": list(self.values)}
        table: dict[str, Any] = {"scale": self.scale, "low": self.low, "high": self.high}
        if self.points != 3:
            table["points"] = self.points
        return table


def _check_points(points: Any, field: str) -> int:
    if isinstance(points, bool) or not isinstance(points, int | float):
        raise SpaceError(field, f"points must be a whole number >= 2 (got {points!r})")
    number = as_number(points, True, "points", field)
    if not 2 <= number <= MAX_POINTS:
        raise SpaceError(field, f"points must be between 2 and {MAX_POINTS:,} (got {points!r})")
    return int(number)


def _check_values(hp: HyperParameter, values: Any, field: str) -> tuple[Any, ...]:
    if isinstance(values, str | bytes) or not isinstance(values, Sequence):
        raise SpaceError(field, f"values must be a list such as [{_example(hp)}]")
    if len(values) == 0:
        raise SpaceError(field, f"values is empty; list at least one, e.g. [{_example(hp)}]")
    checked: list[Any] = []
    for value in values:
        item = hp.coerce(value, field, what=f"value {value!r}")
        if any(type(item) is type(seen) and item == seen for seen in checked):
            raise SpaceError(field, f"value {value!r} is listed twice; remove one")
        checked.append(item)
    return tuple(checked)


def _example(hp: HyperParameter) -> str:
    if hp.kind == "choice":
        return ", ".join(repr(c) for c in hp.choices[:2]).replace("'", '"')
    return f"{hp.low!r}, {hp.high!r}"


def _check_range(
    hp: HyperParameter, scale: Any, low: Any, high: Any, field: str
) -> tuple[str, Any, Any]:
    if hp.kind == "choice":
        raise SpaceError(field, f"is a choice: give values, e.g. values = [{_example(hp)}]")
    if scale is None:
        scale = hp.scales[0]
    if not isinstance(scale, str) or scale not in hp.scales:
        allowed = " or ".join(repr(s) for s in hp.scales)
        raise SpaceError(field, f"scale must be {allowed} for {hp.name} (got {scale!r})")
    if low is None or high is None:
        raise SpaceError(field, f"a range needs low and high, e.g. low = {hp.low!r}, high = "
                                f"{hp.high!r} (or give values)")
    integer = hp.kind == "int"
    low = as_number(low, integer, "low", field)
    high = as_number(high, integer, "high", field)
    if low >= high:
        raise SpaceError(field, f"low must be below high (got low {low!r}, high {high!r})")
    scaling = SCALES[scale]
    scaling.check_defined(low, high, field)
    for what, value in (("low", low), ("high", high)):
        if not hp.in_domain(value):
            raise SpaceError(field, f"{what} must be {hp.describe_domain()} (got {value!r})")
    scaling.check_not_empty(low, high, field)
    return scale, low, high
