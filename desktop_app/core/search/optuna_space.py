"""Our scales onto Optuna distributions, and values back and forth.

- ``linear`` -> ``FloatDistribution`` / ``IntDistribution``;
- ``log`` -> the same with ``log=True`` (Optuna samples log-uniformly);
- ``reverse_log`` -> a log ``FloatDistribution`` over ``x = 1 - value`` (value = 1 - x);
- ``pow2`` -> ``IntDistribution`` over the exponent ``e`` (value = 2**e);
- ``values`` -> ``CategoricalDistribution``.

Values handed to the user are always on the user's scale, as Python scalars.
"""

from __future__ import annotations

from typing import Any

from optuna.distributions import (
    BaseDistribution,
    CategoricalDistribution,
    FloatDistribution,
    IntDistribution,
)

from desktop_app.core.search import scales
from desktop_app.core.search.param import Param
from desktop_app.core.search.space import SearchSpace


def distribution(param: Param) -> BaseDistribution:
    """The Optuna distribution that samples ``param`` uniformly on its scale."""
    if param.values is not None:
        return CategoricalDistribution(param.values)
    if param.scale == "pow2":
        return IntDistribution(*scales.pow2_exponents(param.low, param.high))
    if param.is_integer:
        return IntDistribution(param.low, param.high, log=param.scale == "log")
    if param.scale == "reverse_log":
        return FloatDistribution(1.0 - param.high, 1.0 - param.low, log=True)
    return FloatDistribution(param.low, param.high, log=param.scale == "log")


def distributions(space: SearchSpace) -> dict[str, BaseDistribution]:
    """One distribution per parameter, in declared order."""
    return {param.name: distribution(param) for param in space}


def from_optuna(space: SearchSpace, values: dict[str, Any]) -> dict[str, Any]:
    """Optuna's values of a trial -> the user's values (python scalars, inside the range)."""
    params: dict[str, Any] = {}
    for param in space:
        value = values[param.name]
        if param.values is not None:
            params[param.name] = value
        elif param.scale == "pow2":
            params[param.name] = 2 ** int(value)
        elif param.is_integer:
            params[param.name] = int(value)
        else:
            user = 1.0 - float(value) if param.scale == "reverse_log" else float(value)
            params[param.name] = min(max(user, param.low), param.high)
    return params


def to_optuna(space: SearchSpace, params: dict[str, Any]) -> dict[str, Any]:
    """User values -> Optuna's values, forced inside the distributions.

    Used to enqueue a re-run and to record past trials. A value the current space cannot hold
    (a choice no longer listed, a number outside the range) is replaced by the nearest one the
    space has: Optuna then only sees a slightly moved point, while the trial keeps its own values.
    """
    values: dict[str, Any] = {}
    for param in space:
        if param.name not in params:
            continue
        dist = distribution(param)
        value = params[param.name]
        if isinstance(dist, CategoricalDistribution):
            match = [c for c in dist.choices if type(c) is type(value) and c == value]
            values[param.name] = match[0] if match else dist.choices[0]
            continue
        try:
            number = float(value)
        except (TypeError, ValueError, OverflowError):
            number = float(dist.low)
        if param.scale == "pow2":
            number = scales.to_internal("pow2", number) if number > 0 else dist.low
        elif param.scale == "reverse_log":
            number = 1.0 - number
        number = min(max(number, dist.low), dist.high)
        values[param.name] = round(number) if isinstance(dist, IntDistribution) else number
    return values
