"""The search space of an Optuna study as the views read one (``names``, ``name in space``,
``space[name]`` with ``scale``, ``low``, ``high``, ``values``), for parameters that need not
be Caviar hyperparameters: each :class:`~.mapping.ParamSpec` answers as a ``Param`` does."""

from __future__ import annotations

from collections.abc import Iterator

from desktop_app.core.optuna_bridge.mapping import ParamSpec


class SpecSpace:
    """A read-only space of :class:`ParamSpec` (Caviar's ``SearchSpace`` needs registry names)."""

    def __init__(self, specs: dict[str, ParamSpec]) -> None:
        self._specs = dict(specs)

    @property
    def names(self) -> tuple[str, ...]:
        """Parameter names, in the order the study first used them."""
        return tuple(self._specs)

    def __getitem__(self, name: str) -> ParamSpec:
        return self._specs[name]

    def __contains__(self, name: object) -> bool:
        return name in self._specs

    def __iter__(self) -> Iterator[ParamSpec]:
        return iter(self._specs.values())

    def __len__(self) -> int:
        return len(self._specs)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SpecSpace) and self._specs == other._specs

    __hash__ = None  # type: ignore[assignment]
