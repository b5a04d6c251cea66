"""Past trials of a resumed study, turned into Optuna trials so TPE and pruners learn from them."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import optuna
from optuna.distributions import BaseDistribution

from desktop_app.core.search.optuna_space import to_optuna
from desktop_app.core.search.space import SearchSpace
from desktop_app.core.study.records import TrialState

PastTrial = tuple[dict[str, Any], TrialState | str, float | None, Mapping[int, float]]
"""``(params, state, value, {epoch: metric})`` of one finished trial."""


def _finite(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def frozen_trial(
    space: SearchSpace, dists: dict[str, BaseDistribution], past: PastTrial
) -> optuna.trial.FrozenTrial | None:
    """The Optuna record of a finished trial (None for a state that is not finished).

    complete -> COMPLETE (FAIL if its value is not finite); pruned -> PRUNED valued by its last
    epoch, as Optuna's own ``tell`` does; diverged/failed -> FAIL. Non-finite epoch values are
    left out of the curve.
    """
    params, state, value, curve = past
    state = TrialState(state)
    steps = {int(e): v for e, raw in dict(curve).items() if (v := _finite(raw)) is not None}
    optuna_state, optuna_value = optuna.trial.TrialState.FAIL, None
    if state is TrialState.COMPLETE and _finite(value) is not None:
        optuna_state, optuna_value = optuna.trial.TrialState.COMPLETE, _finite(value)
    elif state is TrialState.PRUNED:
        optuna_state = optuna.trial.TrialState.PRUNED
        optuna_value = steps[max(steps)] if steps else None
    elif not state.is_finished:
        return None
    values = to_optuna(space, params)
    return optuna.trial.create_trial(
        state=optuna_state,
        value=optuna_value,
        params=values,
        distributions={name: dists[name] for name in values},
        intermediate_values=steps,
    )


def add_history(
    study: optuna.Study,
    space: SearchSpace,
    dists: dict[str, BaseDistribution],
    history: Iterable[PastTrial],
) -> None:
    """Add every finished past trial to ``study``."""
    for past in history:
        trial = frozen_trial(space, dists, past)
        if trial is not None:
            study.add_trial(trial)
