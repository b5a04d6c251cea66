"""``SearchSpace``: the ordered set of searched parameters, built from the TOML ``[params]``."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from desktop_app.core.errors import SpaceError
from desktop_app.core.search.param import Param

MAX_GRID = 100_000
"""A grid search with more trials than this is refused (it would never finish)."""

_KEYS = ("scale", "low", "high", "values", "points")


class SearchSpace:
    """Ordered, immutable collection of :class:`Param`, in the order they were declared."""

    def __init__(self, params: Iterable[Param] = ()) -> None:
        self._params: dict[str, Param] = {}
        for param in params:
            if param.name in self._params:
                raise SpaceError(f"params.{param.name}", "is listed twice; keep one")
            self._params[param.name] = param

    @property
    def names(self) -> tuple[str, ...]:
        """Parameter names in declared order."""
        return tuple(self._params)

    def __getitem__(self, name: str) -> Param:
        return self._params[name]

    def __contains__(self, name: object) -> bool:
        return name in self._params

    def __iter__(self) -> Iterator[Param]:
        return iter(self._params.values())

    def __len__(self) -> int:
        return len(self._params)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SearchSpace):
            return NotImplemented
        return tuple(self) == tuple(other)

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"SearchSpace({list(self)!r})"

    def grid_size(self) -> int:
        """Number of trials of a full grid search (the product of each parameter's points)."""
        return math.prod(len(param.grid()) for param in self)

    def check_grid(self) -> int:
        """The grid size; ``SpaceError`` saying how big it is when it exceeds ``MAX_GRID``."""
        size = self.grid_size()
        if size > MAX_GRID:
            shape = " x ".join(f"{len(p.grid())} {p.name}" for p in self)
            raise SpaceError(
                "params",
                f"a grid of {size:,} trials ({shape}) is over the limit of {MAX_GRID:,}; "
                "use fewer points or values, or the random, quasi_random or tpe strategy",
            )
        return size

    def grid(self) -> Iterator[dict[str, Any]]:
        """Every grid point as a dict, the product in declared order (last name fastest)."""
        names = self.names
        for combo in itertools.product(*(param.grid() for param in self)):
            yield dict(zip(names, combo, strict=True))

    def to_dict(self) -> dict[str, dict[str, Any]]:
        """The TOML ``[params]`` shape; ``build_space(space.to_dict()) == space``."""
        return {param.name: param.to_dict() for param in self}


def build_space(mapping: Any, own: bool = False) -> SearchSpace:
    """A space from ``{"learning_rate": {"scale": "log", "low": 1e-4, "high": 1}, ...}``.

    ``own``: names outside the registry are the user's own hyperparameters (a trainer of the
    user's own). Whatever ``mapping`` holds, this either builds or raises ``SpaceError``
    naming the field.
    """
    if not isinstance(mapping, Mapping):
        raise SpaceError("params", f"must be a table of parameters (got {type(mapping).__name__})")
    params = []
    for name, table in mapping.items():
        field = f"params.{name}"
        if not isinstance(table, Mapping):
            raise SpaceError(field, "must be a table with scale, low, high (or values), e.g. "
                                    "{scale = \"log\", low = 1e-4, high = 1}")
        unknown = [key for key in table if key not in _KEYS]
        if unknown:
            raise SpaceError(field, f"unknown key {unknown[0]!r}; allowed: {', '.join(_KEYS)}")
        params.append(Param(name, **table, own=own))
    return SearchSpace(params)
