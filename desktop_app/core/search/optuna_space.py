"""Our search spaces onto Optuna distributions, and values back and forth.

Each ranged parameter's scale (:mod:`desktop_app.core.search.scales`) owns its distribution and
the conversions; a list of ``values`` is a ``CategoricalDistribution``. Values handed to the user
are always on the user's scale, as Python scalars.
"""

from __future__ import annotations

from typing import Any

from optuna.distributions import BaseDistribution, CategoricalDistribution

from desktop_app.core.search.param import Param
from desktop_app.core.search.space import SearchSpace


def distribution(param: Param) -> BaseDistribution:
    """The Optuna distribution that samples ``param`` uniformly on its scale."""
    scaling = param.scaling
    if scaling is None:
        return CategoricalDistribution(param.values)
    return scaling.distribution(param.low, param.high, param.is_integer)


def distributions(space: SearchSpace) -> dict[str, BaseDistribution]:
    """One distribution per parameter, in declared order."""
    return {param.name: distribution(param) for param in space}


def from_optuna(space: SearchSpace, values: dict[str, Any]) -> dict[str, Any]:
    """Optuna's values of a trial -> the user's values (python scalars, inside the range)."""
    params: dict[str, Any] = {}
    for param in space:
        value = values[param.name]
        scaling = param.scaling
        if scaling is None:
            params[param.name] = value
        else:
            params[param.name] = scaling.from_optuna(value, param.low, param.high,
                                                     param.is_integer)
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
        scaling = param.scaling
        if scaling is None:
            match = [c for c in dist.choices if type(c) is type(value) and c == value]
            values[param.name] = match[0] if match else dist.choices[0]
        else:
            values[param.name] = scaling.to_optuna(value, dist)
    return values
