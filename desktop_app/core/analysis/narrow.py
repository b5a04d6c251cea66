"""Coarse to fine: a new search space spanning the selected trials on each parameter's own
scale (a little margin, clipped to the original range), ready to edit and run."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import fields
from typing import Any

from desktop_app.core.config import StudyConfig, StudySettings
from desktop_app.core.search import Param, SearchSpace

MARGIN = 0.1
"""Of the selection's span (on the scale) added on each side; of the old range if it is 0."""


def narrow_space(space: SearchSpace, selected: Sequence[Mapping[str, Any]],
                 margin: float = MARGIN) -> SearchSpace:
    """``space`` narrowed to the span of ``selected`` (the selected trials' params).

    A range keeps its scale: ``[min, max]`` of the selection in the scale's coordinates
    (log10 for ``log``, log10(1 - v) for ``reverse_log``, the exponent for ``pow2``), widened
    by ``margin`` and clipped to the old range; one that cannot stay a range becomes that one
    value. A list keeps the values the selection used. Parameters no selected trial has stay.
    """
    return SearchSpace(_narrow(p, [t[p.name] for t in selected if p.name in t], margin)
                       for p in space)


def narrowed_config(config: StudyConfig, selected: Sequence[Mapping[str, Any]],
                    name: str | None = None) -> StudyConfig:
    """``config`` with its space narrowed to ``selected`` under a new study name (default:
    ``<name>-narrow``), everything else as it was."""
    settings = {f.name: getattr(config.study, f.name) for f in fields(config.study)}
    settings["name"] = name or f"{config.study.name}-narrow"[:80]
    return StudyConfig(StudySettings(**settings), config.data, config.train,
                       narrow_space(config.space, selected), config.trainer)


def _narrow(param: Param, values: list[Any], margin: float) -> Param:
    own = param.is_own
    if not values:
        return param
    if not param.is_ranged:
        kept = [v for v in param.values if any(type(v) is type(x) and v == x for x in values)]
        return Param(param.name, values=kept or list(param.values), own=own)
    scaling = param.scaling
    assert scaling is not None
    lo_all, hi_all = scaling.internal_bounds(param.low, param.high)
    coords = [scaling.to_internal(v) for v in values]
    lo, hi = min(coords), max(coords)
    pad = margin * ((hi - lo) or (hi_all - lo_all))
    lo, hi = max(lo - pad, lo_all), min(hi + pad, hi_all)
    ends = sorted((scaling.from_internal(lo, param.is_integer),
                   scaling.from_internal(hi, param.is_integer)))
    low, high = (max(ends[0], param.low), min(ends[1], param.high))
    if low >= high:
        return Param(param.name, values=[low], own=own)
    return Param(param.name, low=low, high=high, scale=param.scale, points=param.points, own=own)
