"""The decisions that map Caviar onto Optuna and back: attribute names, trial states, and
each parameter's range and scale (docs/optuna.md explains them).

Parameters travel in the user's units both ways. Optuna's distributions say linear or log;
the two Caviar scales Optuna has no word for travel as a study user attribute
(:data:`SCALES_ATTR`, e.g. ``{"momentum": "reverse_log", "batch_size": "pow2"}``) beside a
distribution that holds the same values (``FloatDistribution(low, high)``,
``IntDistribution(low, high, log=True)``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from optuna.distributions import (
    BaseDistribution,
    CategoricalDistribution,
    IntDistribution,
)
from optuna.trial import TrialState as OptunaState

from desktop_app.core.search import REGISTRY, Scale, scale_named
from desktop_app.core.study import TrialState

CONFIG_ATTR = "caviar_config"
"""Study user attr: the whole Caviar config (plain JSON), so an import restores it."""
SCALES_ATTR = "caviar_scales"
"""Study user attr: ``{param: scale name}`` for every ranged parameter Caviar searched."""
STATE_ATTR = "caviar_state"
"""Trial user attr: the Caviar state when Optuna's state does not say it (diverged, ...)."""
SEED_ATTR = "caviar_seed"
"""Trial user attr: the trial's seed."""
ERROR_ATTR = "caviar_error"
"""Trial user attr: a failed trial's error text."""
EPOCHS_ATTR = "caviar_epochs"
"""Trial user attr: ``{column: [value per epoch]}`` of every epoch column but the metric
(which is the intermediate value); NaN is written as null."""
CAVIAR_ATTRS = (CONFIG_ATTR, SCALES_ATTR, STATE_ATTR, SEED_ATTR, ERROR_ATTR, EPOCHS_ATTR)
OPTUNA_SECTION = "optuna"
"""The config section ``caviar import`` writes: the source study's directions, metric names,
user attrs and each trial's values and user attrs (sweeps do not read it)."""

_TO_OPTUNA = {
    TrialState.COMPLETE: OptunaState.COMPLETE,
    TrialState.PRUNED: OptunaState.PRUNED,
    TrialState.FAILED: OptunaState.FAIL,
    TrialState.DIVERGED: OptunaState.FAIL,
    TrialState.INTERRUPTED: OptunaState.FAIL,
    TrialState.RUNNING: OptunaState.FAIL,
    TrialState.WAITING: OptunaState.WAITING,
}


def to_optuna_state(state: TrialState, value: float) -> tuple[OptunaState, bool]:
    """Optuna's state for a Caviar trial ending with ``value``, and whether
    :data:`STATE_ATTR` must keep the Caviar state (Optuna's does not say it)."""
    if state is TrialState.COMPLETE and math.isnan(value):  # Optuna: no NaN in COMPLETE
        return OptunaState.FAIL, True
    optuna_state = _TO_OPTUNA[state]
    return optuna_state, to_caviar_state(optuna_state, None, live=False) is not state


def to_caviar_state(state: OptunaState, kept: object, live: bool) -> TrialState:
    """Caviar's state for an Optuna trial (``kept``: its :data:`STATE_ATTR`, if any). A
    running Optuna trial stays running while ``live`` (the window watches it), and is
    ``interrupted`` in an import (``caviar resume`` re-runs it)."""
    if state is OptunaState.RUNNING:
        return TrialState.RUNNING if live else TrialState.INTERRUPTED
    if isinstance(kept, str) and kept in TrialState.__members__.values():
        caviar = TrialState(kept)
        return TrialState.INTERRUPTED if caviar is TrialState.RUNNING else caviar
    return {OptunaState.COMPLETE: TrialState.COMPLETE, OptunaState.PRUNED: TrialState.PRUNED,
            OptunaState.FAIL: TrialState.FAILED}.get(state, TrialState.WAITING)


@dataclass(frozen=True)
class ParamSpec:
    """One parameter over a whole study: a range on a Caviar scale, or a list of values."""

    name: str
    scale: str | None = None  # None: a list of values
    low: Any = None
    high: Any = None
    values: tuple[Any, ...] | None = None
    integer: bool = False

    @property
    def is_ranged(self) -> bool:
        """True for a range on a scale, False for a list of values (as ``Param``)."""
        return self.values is None

    @property
    def kind(self) -> str:
        """``float``, ``int`` or ``choice``, as a registry entry's."""
        return "choice" if self.values is not None else "int" if self.integer else "float"

    @property
    def scales(self) -> tuple[str, ...]:
        """The scale it is drawn on (empty for a list of values), as a registry entry's."""
        return () if self.scale is None else (self.scale,)

    @property
    def scaling(self) -> Scale | None:
        """The scale object (None for a list of values), as ``Param.scaling``."""
        return None if self.scale is None else scale_named(self.scale)

    @property
    def is_integer(self) -> bool:
        """True for whole numbers, as ``Param.is_integer``."""
        return self.integer

    @property
    def group(self) -> int:
        """The course's importance group of a Caviar hyperparameter of this name, else 0
        (the course ranks Caviar's own hyperparameters only)."""
        return REGISTRY[self.name].group if self.name in REGISTRY else 0

    @property
    def hyperparameter(self) -> ParamSpec:
        """What the views ask a ``Param``'s registry entry (kind, scales): the spec itself,
        since an Optuna parameter need not be one of Caviar's."""
        return self

    def table(self) -> dict[str, Any]:
        """The ``[params.NAME]`` table of a Caviar config."""
        if self.values is not None:
            return {"values": list(self.values)}
        return {"scale": self.scale, "low": self.low, "high": self.high}


def spec_of(name: str, dist: BaseDistribution, scale: str | None = None) -> ParamSpec:
    """The spec of one Optuna distribution; ``scale`` is a scale Caviar kept for it."""
    if isinstance(dist, CategoricalDistribution):
        return ParamSpec(name, values=tuple(dist.choices))
    integer = isinstance(dist, IntDistribution)
    natural = "log" if dist.log else "linear"
    low, high = (int(dist.low), int(dist.high)) if integer else (dist.low, dist.high)
    return ParamSpec(name, scale or natural, low, high, integer=integer)


def merge_specs(
    trials: Iterable[tuple[int, dict[str, BaseDistribution]]], scales: dict[str, str]
) -> tuple[dict[str, ParamSpec], list[str]]:
    """One spec per parameter over ``(number, distributions)`` of every trial, and a note per
    parameter whose range changes between trials (Optuna allows another range or step, never
    another kind, log flag or choices): the range is widened to hold every trial."""
    specs: dict[str, ParamSpec] = {}
    first: dict[str, tuple[int, BaseDistribution]] = {}
    notes: dict[str, str] = {}
    for number, dists in trials:
        for name, dist in dists.items():
            if name not in specs:
                specs[name], first[name] = spec_of(name, dist, scales.get(name)), (number, dist)
            elif dist != first[name][1]:
                specs[name] = _widen(specs[name], spec_of(name, dist, scales.get(name)))
                notes.setdefault(name, f"parameter {name!r} changes distribution at trial "
                                       f"{number} ({first[name][1]} at trial {first[name][0]}, "
                                       f"then {dist})")
    return specs, list(notes.values())


def _widen(a: ParamSpec, b: ParamSpec) -> ParamSpec:
    """``a``'s range widened to hold ``b``'s (both ranged, of one kind and scale)."""
    return ParamSpec(a.name, a.scale, min(a.low, b.low), max(a.high, b.high), integer=a.integer)
